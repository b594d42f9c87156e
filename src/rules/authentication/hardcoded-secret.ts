import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { FORMAT_PLACEHOLDER, SECRET_FORMATS } from '../data/secret-formats.js';
import { isDevelopmentSetting } from '../support/config-settings.js';
import {
  isBareTokenName,
  isCredentialName,
  isCredentialWordText,
  isTestPath,
  maskSecret,
  stringContent,
  targetName,
} from '../support/secrets-names.js';

type MessageId =
  | 'namedSecret'
  | 'djangoSecretKey'
  | 'signingKeySetting'
  | 'usedAsKey'
  | 'awsAccessKey'
  | 'providerKey'
  | 'privateKey'
  | 'urlPassword';

/**
 * Calls that take a signing or encryption key, and where: the literal passed there is the key
 * the deployment runs with, however much it looks like a placeholder.
 */
const KEY_ARGUMENTS: ReadonlyMap<string, { position: number | undefined; keyword: string }> = new Map<
  string,
  { position: number | undefined; keyword: string }
>([
  ...['jwt.encode', 'jwt.decode', 'jwt.api_jwt.encode', 'jwt.api_jwt.decode', 'jose.jwt.encode', 'jose.jwt.decode'].map(
    (fn) => [fn, { position: 1, keyword: 'key' }] as const,
  ),
  ...['cryptography.fernet.Fernet', 'hmac.new', 'hmac.digest', 'hmac.HMAC'].map(
    (fn) => [fn, { position: 0, keyword: 'key' }] as const,
  ),
  ...['django.core.signing.Signer', 'django.core.signing.TimestampSigner'].map(
    (fn) => [fn, { position: 0, keyword: 'key' }] as const,
  ),
  ...[
    'Crypto.Cipher.AES.new',
    'Cryptodome.Cipher.AES.new',
    'cryptography.hazmat.primitives.ciphers.algorithms.AES',
  ].map((fn) => [fn, { position: 0, keyword: 'key' }] as const),
  ...[
    'Serializer',
    'TimedSerializer',
    'URLSafeSerializer',
    'URLSafeTimedSerializer',
    'Signer',
    'TimestampSigner',
    'JSONWebSignatureSerializer',
    'url_safe.URLSafeSerializer',
    'url_safe.URLSafeTimedSerializer',
    'serializer.Serializer',
    'signer.Signer',
    'timed.TimestampSigner',
    'timed.TimedSerializer',
  ].map((name) => [`itsdangerous.${name}`, { position: 0, keyword: 'secret_key' }] as const),
  // Django's `signing.dumps(obj, key=…)` takes the key by keyword only.
  ...['django.core.signing.dumps', 'django.core.signing.loads'].map(
    (fn) => [fn, { position: undefined, keyword: 'key' }] as const,
  ),
]);

/**
 * Settings and keywords that hold the key an application signs its sessions and tokens with
 * (Django and Flask `SECRET_KEY`, Flask's `app.secret_key`, Starlette's
 * `SessionMiddleware(secret_key=…)`, Flask-JWT-Extended, Simple JWT, Flask-WTF).
 */
/** An identifier-shaped value (`AWS_SECRET_ACCESS_KEY`, `aws_secret_access_key`) names a setting. */
const SETTING_NAME = /^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)+$/;
const SIGNING_KEY_NAMES = new Set(['SECRET_KEY', 'secret_key', 'JWT_SECRET_KEY', 'SIGNING_KEY', 'WTF_CSRF_SECRET_KEY']);

/** Values that are obviously not real credentials: defaults meant to be replaced, or templates. */
const PLACEHOLDERS = new Set([
  'changeme',
  'change_me',
  'change-me',
  'changethis',
  'password',
  'passwd',
  'secret',
  'token',
  'xxx',
  'dummy',
  'example',
  'placeholder',
  'none',
  'null',
  'todo',
  'fixme',
  'redacted',
  'your_password',
  'yourpassword',
  'your-password',
  'your_secret',
  'your_token',
  'your_api_key',
  'secret_key',
  'api_key',
  'pass',
  'pwd',
  'test',
  'testing',
  'default',
  'unused',
  'notsecret',
  'not-a-secret',
  'insecure',
  'yes',
  'no',
  'true',
  'false',
  'on',
  'off',
  'enabled',
  'disabled',
  'required',
  'optional',
]);

/** Long enough and mixing letters with digits: what generated tokens look like, unlike a lexer's `"("` or `"NAME"`. */
function looksRandom(value: string): boolean {
  return value.length >= 8 && /[a-zA-Z]/.test(value) && /\d/.test(value);
}

function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  return (
    PLACEHOLDERS.has(lower) ||
    /^(.)\1*$/.test(value) || // `***`, `xxxx`
    /(.)\1{7,}/.test(value) || // `ghp_xxxxxxxx…`, `sk-00000000…`
    /^[<{[$%].*[>}\])s]$/.test(value) || // `<password>`, `{password}`, `${TOKEN}`, `%(pw)s`
    /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(value) || // an environment variable's name, `DB_PASSWORD`
    /\s/.test(value) || // prompts and messages ("Enter password:"); real secrets rarely hold spaces
    /^[^a-zA-Z0-9]*$/.test(value) // punctuation, as in `token == "("`
  );
}

const AWS_ACCESS_KEY = /\b((?:AKIA|ASIA)[0-9A-Z]{16})\b/;
const PRIVATE_KEY = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/;
/**
 * `scheme://user:password@host`, or `redis://:password@host` without a user: the password
 * group stops at `@` and never holds a template field.
 */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*):\/\/([^\s/:@'"]*):([^\s/@'"{}<>$%]+)@[\w.-]/i;

/**
 * What `URL_PASSWORD` matches from `://` on, for the search of a whole file: without the scheme
 * in front, the search skips ahead to each `:` instead of trying a scheme at every word, which
 * is 20 times faster on a large file.
 */
const URL_PASSWORD_TAIL = /:\/\/[^\s/:@'"]*:[^\s/@'"{}<>$%]+@[\w.-]/;

const CLEARTEXT_SCHEMES = new Set(['http', 'ftp', 'telnet']);
/**
 * Every text that holds a shaped secret, and a few more, holds one of a hint's markers and
 * matches its pattern. The markers are looked for first: a plain text search is several times
 * cheaper than a pattern that starts with `\b`, run over a whole file.
 */
const SHAPE_HINTS: readonly { markers: readonly string[]; pattern: RegExp }[] = [
  { markers: ['AKIA', 'ASIA'], pattern: AWS_ACCESS_KEY },
  { markers: ['-----BEGIN '], pattern: PRIVATE_KEY },
  { markers: ['://'], pattern: URL_PASSWORD_TAIL },
  ...SECRET_FORMATS,
];

function mayHoldShapedSecret(source: string): boolean {
  return SHAPE_HINTS.some(
    ({ markers, pattern }) => markers.some((marker) => source.includes(marker)) && pattern.test(source),
  );
}

/** Secrets recognisable by their shape alone, whatever the variable is called. */
function shapedSecret(text: string): { messageId: MessageId; data: Record<string, string> } | undefined {
  const aws = AWS_ACCESS_KEY.exec(text);
  // AWS documents its example keys with an `EXAMPLE` suffix.
  if (aws && !aws[1].endsWith('EXAMPLE')) return { messageId: 'awsAccessKey', data: { masked: maskSecret(aws[1]) } };
  const key = PRIVATE_KEY.exec(text);
  if (key && /-----BEGIN[^-]+-----\s*(\\n)?\s*[A-Za-z0-9+/=]{16}/.test(text))
    return { messageId: 'privateKey', data: { kind: key[1] } };
  for (const { provider, pattern } of SECRET_FORMATS) {
    const match = pattern.exec(text);
    if (match && !FORMAT_PLACEHOLDER.test(match[1]))
      return { messageId: 'providerKey', data: { provider, masked: maskSecret(match[1]) } };
  }
  const url = URL_PASSWORD.exec(text);
  // Cleartext schemes are reported by cleartext-protocol, which names both problems.
  if (url && !isPlaceholder(url[3]) && !CLEARTEXT_SCHEMES.has(url[1].toLowerCase()))
    return {
      messageId: 'urlPassword',
      data: { scheme: url[1], user: url[2] ? ` of \`${url[2]}\`` : '', masked: maskSecret(url[3]) },
    };
  return undefined;
}

/** The literal string value of `node` itself (not of a name bound to one). */
function literalString(node: SyntaxNode | null | undefined, context: RuleContext<MessageId>): string | undefined {
  if (!node || (node.type !== 'string' && node.type !== 'concatenated_string')) return undefined;
  return context.stringValue(node);
}

const ENVIRONMENT_GETTERS = new Set(['os.getenv', 'os.environ.get', 'os.environ.setdefault']);

/** Reports `name <- "literal"` when the name holds a credential and the literal looks like a real one. */
function checkNamedValue(
  context: RuleContext<MessageId>,
  name: string | undefined,
  valueNode: SyntaxNode | null | undefined,
  reportNode: SyntaxNode,
  comparison = false,
): void {
  if (!name || !valueNode || !isCredentialName(name) || isTestPath(context.path)) return;
  // A comparison with a literal (`if SECRET_KEY == "changeme":`) checks the key rather than sets it.
  if (SIGNING_KEY_NAMES.has(name) && !comparison) {
    checkSigningKey(context, name, valueNode, reportNode);
    return;
  }
  const value = literalString(valueNode, context);
  if (value === undefined || value === '' || isPlaceholder(value) || isCredentialWordText(value) || shapedSecret(value))
    return;
  if (isBareTokenName(name) && !looksRandom(value)) return;
  context.report({ node: reportNode, messageId: 'namedSecret', data: { name, masked: maskSecret(value) } });
}

/**
 * A signing key setting given a literal: the key the application runs with, whatever it looks
 * like (`"your-secret-key-here"`, `"dev"`). Development settings and test modules keep theirs.
 */
function checkSigningKey(
  context: RuleContext<MessageId>,
  name: string,
  valueNode: SyntaxNode,
  reportNode: SyntaxNode,
): void {
  const value = literalString(valueNode, context);
  if (value === undefined || value === '' || shapedSecret(value) || isDevelopmentSetting(reportNode, context)) return;
  // `SECRET_KEY = "AWS_SECRET_ACCESS_KEY"`: the name of a setting or variable that holds the key, not the key.
  if (SETTING_NAME.test(value) && isCredentialWordText(value)) return;
  const data = { name, masked: maskSecret(value) };
  if (name === 'SECRET_KEY' && reportNode.childForFieldName('left')?.type === 'identifier' && isModuleLevel(reportNode))
    context.report({ node: reportNode, messageId: 'djangoSecretKey', data });
  else context.report({ node: reportNode, messageId: 'signingKeySetting', data });
}

/** `jwt.encode(claims, "secret")`, `Fernet(b"…")`, `hmac.new(b"key", …)`: a literal used as the key. */
function checkKeyArgument(call: SyntaxNode, context: RuleContext<MessageId>): void {
  const fn = context.calleeName(call);
  if (!fn) return;
  const where = KEY_ARGUMENTS.get(fn);
  if (!where || isTestPath(context.path)) return;
  const key = context.argument(call, where.position, where.keyword);
  const value = key && context.isConstant(key) ? context.stringValue(key) : undefined;
  if (value === undefined || value === '' || shapedSecret(value)) return;
  // A name bound to the literal is reported where it is used; the literal itself, if named like
  // a secret, is also reported where it is assigned.
  context.report({ node: call, messageId: 'usedAsKey', data: { fn, masked: maskSecret(value) } });
}

function isModuleLevel(node: SyntaxNode): boolean {
  return node.parent?.type === 'expression_statement' && node.parent.parent?.type === 'module';
}

export default createRule({
  id: 'hardcoded-secret',
  meta: {
    title: 'Credential written in the source',
    category: 'authentication',
    cwe: [798, 259],
    severity: 'high',
    confidence: 'medium',
    equivalents: { bandit: ['B105', 'B106', 'B107'], ruff: ['S105', 'S106', 'S107'] },
    messages: {
      namedSecret:
        '`{{name}}` is set to a hard-coded credential (`{{masked}}`); load it from the environment or a secret store',
      djangoSecretKey:
        'Django `SECRET_KEY` is hard-coded (`{{masked}}`); anyone with the source can forge sessions, password-reset links and signed data',
      signingKeySetting:
        '`{{name}}` is hard-coded (`{{masked}}`); it signs sessions and tokens, so anyone with the source can forge them',
      usedAsKey:
        '`{{fn}}` is given a hard-coded key (`{{masked}}`); anyone with the source can forge what it signs or read what it encrypts',
      providerKey:
        'A {{provider}} (`{{masked}}`) is written in the source; revoke it and load it from the environment or a secret store',
      awsAccessKey:
        'AWS access key id `{{masked}}` is written in the source; revoke it and load credentials from the environment or an IAM role',
      privateKey:
        'A {{kind}} is embedded in the source; revoke it and load the key from a file or secret store outside the repository',
      urlPassword:
        'The `{{scheme}}` URL carries the password{{user}} (`{{masked}}`); load it from the environment or a secret store',
    },
    docs: {
      why: 'A credential in the source is shared with everyone who can read the repository, its forks, its CI logs and every built artefact, and it stays in the Git history after it is removed. It cannot be rotated without a release, and the same value usually ends up in every environment.',
      example:
        'import psycopg2\n\nDB_PASSWORD = "s3cr3t-Pa55w0rd"\nconn = psycopg2.connect(host="db", user="app", password=DB_PASSWORD)',
      fix: 'Read credentials from the environment or a secret manager at run time, and rotate any value that has been committed.\n\n```python\nimport os\nimport psycopg2\n\nconn = psycopg2.connect(host="db", user="app", password=os.environ["DB_PASSWORD"])\n```',
      knownProblems:
        'Credentials are recognised by name (`password`, `passwd`, `pwd`, `secret`, `token`, `api_key`, …) where a string literal is assigned, compared, passed as a keyword, used as a parameter default or stored under a dictionary key. Names that describe a credential rather than hold one (`password_field`, `token_url`, `PASSWORD_ENV`) are skipped, and so are values that are obviously not secrets: the empty string, placeholders (`changeme`, `password`, `<password>`, `${TOKEN}`, `***`), environment-variable names (`DB_PASSWORD`) and text with spaces (prompts and messages). That placeholder filter applies only to values merely *named* like secrets. A literal *used* as a signing or encryption key is the key the deployment runs with, whatever it looks like (`"your-secret-key-here"`, `"dev"`, `"aaaaaaa"`), and is always reported: the settings `SECRET_KEY` (Django and Flask), `app.secret_key`, `JWT_SECRET_KEY`, `SIGNING_KEY` and `WTF_CSRF_SECRET_KEY` wherever they are assigned or passed (`app.config.update(SECRET_KEY=…)`, `SessionMiddleware(secret_key=…)`), and the key argument of `jwt.encode`/`jwt.decode` (PyJWT, python-jose), `Fernet`, `hmac.new`/`hmac.digest`, AES constructors, Django `Signer` and `signing.dumps`, and the itsdangerous serializers and signers, directly or through a name bound to a literal. Nothing name-based or key-based is reported in test files (`test_*.py`, `*_test.py`, `conftest.py`, `tests/`), and settings are not reported in development settings files (`settings/dev.py`, `local_settings.py`) or classes named for development or tests (`class DevelopmentConfig`). Secrets recognisable by their shape are reported everywhere, since real ones leak through tests too: AWS access key ids (except AWS\'s documented `…EXAMPLE` keys), private key blocks, provider formats (GitHub, GitLab, Slack tokens and webhook URLs, Discord and Teams webhook URLs, Google API keys, Stripe live keys, OpenAI, Anthropic, SendGrid, npm, PyPI and Telegram tokens; documentation values such as `ghp_xxxx…` or ones containing `example` are skipped) and passwords in URLs (`postgres://user:pass@host`, `redis://:pass@host`). Passwords in `http://`, `ftp://` and `telnet://` URLs are left to `cleartext-protocol`, which reports them once for both problems.',
      references: [
        'https://cwe.mitre.org/data/definitions/798.html',
        'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
        'https://docs.djangoproject.com/en/stable/ref/settings/#secret-key',
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      checkKeyArgument(node, context);
    },
    assignment(node, context) {
      const left = node.childForFieldName('left');
      if (left) checkNamedValue(context, targetName(left), node.childForFieldName('right'), node);
    },
    comparison_operator(node, context) {
      const operators = node.children.filter((c) => !c.isNamed).map((c) => c.type);
      if (!operators.every((op) => op === '==' || op === '!=')) return;
      const [left, right] = node.namedChildren;
      if (!left || !right) return;
      checkNamedValue(context, targetName(left), right, node, true);
      checkNamedValue(context, targetName(right), left, node, true);
    },
    keyword_argument(node, context) {
      const name = node.childForFieldName('name')?.text;
      if (!name || !isCredentialName(name)) return;
      const call = node.parent?.parent;
      // `os.getenv("X", default="…")` names the fallback, not a credential.
      if (call?.type === 'call' && ENVIRONMENT_GETTERS.has(context.calleeName(call) ?? '')) return;
      checkNamedValue(context, name, node.childForFieldName('value'), node);
    },
    default_parameter(node, context) {
      checkNamedValue(context, node.childForFieldName('name')?.text, node.childForFieldName('value'), node);
    },
    typed_default_parameter(node, context) {
      checkNamedValue(context, node.childForFieldName('name')?.text, node.childForFieldName('value'), node);
    },
    pair(node, context) {
      const key = node.childForFieldName('key');
      checkNamedValue(context, key ? stringContent(key) : undefined, node.childForFieldName('value'), node);
    },
    module(node, context) {
      // Most files hold no shaped secret at all; a text search spares visiting every string.
      if (!mayHoldShapedSecret(context.source)) return;
      for (const literal of node.descendantsOfType(['string', 'concatenated_string'])) {
        if (literal.type === 'string' && literal.parent?.type === 'concatenated_string') continue;
        const found = shapedSecret(literal.text);
        if (found) context.report({ node: literal, messageId: found.messageId, data: found.data, confidence: 'high' });
      }
    },
  },
  tests: {
    valid: [
      'import os\nPASSWORD = os.environ["PASSWORD"]',
      'password = ""\ntoken = None',
      'password_field = "password"\nTOKEN_URL = "https://example.com/token"\nDB_PASSWORD_ENV = "DB_PASSWORD"',
      'if password == "":\n    pass\nprompt(password="Enter your password: ")',
      {
        code: 'def test_login(client):\n    client.login(username="u", password="hunter22")',
        filename: 'tests/test_login.py',
      },
      'AWS_KEY = "AKIAIOSFODNN7EXAMPLE"\nURL = "postgres://user:{password}@db/app"',
      'FEED = "http://reader:Hunter2Go@feeds.example.com/rss"',
      'connect(password="<password>", token="${API_TOKEN}")',
      'import os\npassword = os.getenv("DB_PASS", default="changeme")',
      'if token == "(":\n    depth += 1\nelif token == "NAME":\n    pass',
      'INTERNAL_RESET_SESSION_TOKEN = "_password_reset_token"\nSECRET_KEY_PREFIX = "django-insecure-"',
      'config = {"MODULE_PWD_STATE": "yes", "REQUIRE_PASSWORD": "required"}',
      'import os\nimport jwt\ntoken = jwt.encode(claims, os.environ["JWT_KEY"], algorithm="HS256")',
      'from cryptography.fernet import Fernet\nf = Fernet(Fernet.generate_key())',
      'import hmac, hashlib\ndigest = hmac.new(settings.WEBHOOK_KEY, body, hashlib.sha256).hexdigest()',
      {
        code: 'import jwt\ntoken = jwt.encode({"sub": "1"}, "secret", algorithm="HS256")',
        filename: 'tests/test_tokens.py',
      },
      { code: 'SECRET_KEY = "dev"\nDEBUG = True', filename: 'mysite/settings/local.py' },
      'class TestingConfig(Config):\n    SECRET_KEY = "not-a-real-key"',
      'if SECRET_KEY == "changeme":\n    raise RuntimeError("set SECRET_KEY")',
      'GITHUB_TOKEN = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"\nSLACK_HOOK = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"',
      'CACHE_URL = "redis://:{password}@cache:6379/0"',
      'class EnvProvider:\n    ACCESS_KEY = "AWS_ACCESS_KEY_ID"\n    SECRET_KEY = "AWS_SECRET_ACCESS_KEY"',
    ],
    invalid: [
      { code: 'DB_PASSWORD = "s3cr3t-Pa55w0rd"', errors: [{ messageId: 'namedSecret', line: 1, message: '`s3***`' }] },
      {
        code: 'def login(user, password="hunter22"):\n    pass',
        errors: [{ messageId: 'namedSecret', message: '`password`' }],
      },
      { code: 'if form.passwd == "letmein1":\n    grant()', errors: [{ messageId: 'namedSecret', line: 1 }] },
      {
        code: 'client = Client(api_key="live-7Qm2Lx9Vt4Rk8Wp3")',
        errors: [{ messageId: 'namedSecret', message: '`live***`' }],
      },
      {
        code: 'settings = {"auth_token": "ghp_abcdef123456"}\nself.secret = "q9w8e7r6"',
        errors: [
          { messageId: 'namedSecret', line: 1 },
          { messageId: 'namedSecret', line: 2 },
        ],
      },
      {
        code: 'session_token = "q8Zr61kPwLmN0aTb"\ntoken = "0c9e1f7a2b3d4e5f"',
        errors: [
          { messageId: 'namedSecret', line: 1 },
          { messageId: 'namedSecret', line: 2 },
        ],
      },
      {
        code: 'SECRET_KEY = "django-insecure-9x!k2@m#p"',
        errors: [{ messageId: 'djangoSecretKey', message: '`djan***`' }],
      },
      {
        code: 'SECRET_KEY = "your-secret-key-here"\nALLOWED_HOSTS = ["*"]',
        filename: 'project/settings.py',
        errors: [{ messageId: 'djangoSecretKey', line: 1 }],
      },
      {
        code: 'from flask import Flask\napp = Flask(__name__)\napp.secret_key = "super secret key"\napp.config["SECRET_KEY"] = "aaaaaaa"',
        errors: [
          { messageId: 'signingKeySetting', line: 3, message: '`secret_key`' },
          { messageId: 'signingKeySetting', line: 4, message: '`SECRET_KEY`' },
        ],
      },
      {
        code: 'def create_app():\n    app = Flask(__name__)\n    app.config.from_mapping(SECRET_KEY="dev", DATABASE="app.sqlite")\n    return app',
        errors: [{ messageId: 'signingKeySetting', line: 3 }],
      },
      {
        code: 'class ProductionConfig:\n    SECRET_KEY = "change-this"\n    JWT_SECRET_KEY = "secret"',
        errors: [
          { messageId: 'signingKeySetting', line: 2 },
          { messageId: 'signingKeySetting', line: 3, message: '`JWT_SECRET_KEY`' },
        ],
      },
      {
        code: 'import jwt\ndef login(user):\n    return jwt.encode({"sub": user.id}, "secret", algorithm="HS256")',
        errors: [{ messageId: 'usedAsKey', line: 3, message: '`jwt.encode`' }],
      },
      {
        code: 'import jwt\nKEY = "changeme"\nclaims = jwt.decode(token, key=KEY, algorithms=["HS256"])',
        errors: [{ messageId: 'usedAsKey', line: 3, message: '`jwt.decode`' }],
      },
      {
        code: 'from cryptography.fernet import Fernet\ncipher = Fernet(b"ZmRzYWZkc2FmZHNhZmRzYWZkc2FmZHNhZmRzYWZkc2E=")',
        errors: [{ messageId: 'usedAsKey', message: 'cryptography.fernet.Fernet' }],
      },
      {
        code: 'from itsdangerous import URLSafeTimedSerializer\nserializer = URLSafeTimedSerializer("reset-password-salt")',
        errors: [{ messageId: 'usedAsKey', message: 'itsdangerous.URLSafeTimedSerializer' }],
      },
      {
        code: 'import hmac\nimport hashlib\nsignature = hmac.new(b"webhook", payload, hashlib.sha256).hexdigest()',
        errors: [{ messageId: 'usedAsKey', message: '`hmac.new`' }],
      },
      {
        code: 'from starlette.middleware.sessions import SessionMiddleware\napp.add_middleware(SessionMiddleware, secret_key="secret")',
        errors: [{ messageId: 'signingKeySetting', line: 2 }],
      },
      {
        code: 'NOTIFY = "https://hooks.slack.com/services/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"',
        errors: [{ messageId: 'providerKey', message: 'Slack webhook URL' }],
      },
      {
        code: 'client = Github("ghp_4Fq9ZkW2mLx8Rt6Vp1Nc3Hs7Jd5Bg0Ya2Ue8")',
        filename: 'tests/test_sync.py',
        errors: [{ messageId: 'providerKey', message: 'GitHub token' }],
      },
      {
        code: 'genai.configure(api_key="AIzaSyD4q8Zr61kPwLmN0aTbc7Vd9Ye2Xf3Gh5J")',
        errors: [{ messageId: 'providerKey', message: 'Google API key' }],
      },
      {
        code: 'stripe.api_key = "sk_live_51HqLyjWDarjtT1zdp7dc4eC3"',
        errors: [{ messageId: 'providerKey', message: 'Stripe' }],
      },
      {
        code: 'BROKER_URL = "redis://:Qw7rT2zP9k@cache.internal:6379/0"',
        errors: [{ messageId: 'urlPassword', message: 'password (`Qw***`)' }],
      },
      {
        code: 'aws_access_key_id = "AKIAZ7QW3ERT5YUI8OPL"',
        filename: 'tests/test_s3.py',
        errors: [{ messageId: 'awsAccessKey', message: '`AKIA***`' }],
      },
      {
        code: 'KEY = """-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq98z1Vx\n-----END RSA PRIVATE KEY-----"""',
        errors: [{ messageId: 'privateKey', message: 'RSA PRIVATE KEY' }],
      },
      {
        code: 'engine = create_engine("postgresql://app:Tr0ub4dor@db.internal:5432/app")',
        errors: [{ messageId: 'urlPassword', message: '`Tr***`' }],
      },
    ],
  },
});
