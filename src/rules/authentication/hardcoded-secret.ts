import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import {
  isBareTokenName,
  isCredentialName,
  isCredentialWordText,
  isTestPath,
  maskSecret,
  stringContent,
  targetName,
} from '../support/secrets-names.js';

type MessageId = 'namedSecret' | 'djangoSecretKey' | 'awsAccessKey' | 'privateKey' | 'urlPassword';

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
    /^[<{[$%].*[>}\])s]$/.test(value) || // `<password>`, `{password}`, `${TOKEN}`, `%(pw)s`
    /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(value) || // an environment variable's name, `DB_PASSWORD`
    /\s/.test(value) || // prompts and messages ("Enter password:"); real secrets rarely hold spaces
    /^[^a-zA-Z0-9]*$/.test(value) // punctuation, as in `token == "("`
  );
}

const AWS_ACCESS_KEY = /\b((?:AKIA|ASIA)[0-9A-Z]{16})\b/;
const PRIVATE_KEY = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/;
/** `scheme://user:password@host`: the password group stops at `@` and never holds a template field. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*):\/\/([^\s/:@'"]+):([^\s/@'"{}<>$%]+)@[\w.-]/i;

const CLEARTEXT_SCHEMES = new Set(['http', 'ftp', 'telnet']);
const SHAPES = [AWS_ACCESS_KEY, PRIVATE_KEY, URL_PASSWORD];

/** Secrets recognisable by their shape alone, whatever the variable is called. */
function shapedSecret(text: string): { messageId: MessageId; data: Record<string, string> } | undefined {
  const aws = AWS_ACCESS_KEY.exec(text);
  // AWS documents its example keys with an `EXAMPLE` suffix.
  if (aws && !aws[1]!.endsWith('EXAMPLE')) return { messageId: 'awsAccessKey', data: { masked: maskSecret(aws[1]!) } };
  const key = PRIVATE_KEY.exec(text);
  if (key && /-----BEGIN[^-]+-----\s*(\\n)?\s*[A-Za-z0-9+/=]{16}/.test(text))
    return { messageId: 'privateKey', data: { kind: key[1]! } };
  const url = URL_PASSWORD.exec(text);
  // Cleartext schemes are reported by cleartext-protocol, which names both problems.
  if (url && !isPlaceholder(url[3]!) && !CLEARTEXT_SCHEMES.has(url[1]!.toLowerCase()))
    return { messageId: 'urlPassword', data: { scheme: url[1]!, user: url[2]!, masked: maskSecret(url[3]!) } };
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
): void {
  if (!name || !valueNode) return;
  const djangoKey = name === 'SECRET_KEY' && isModuleLevel(reportNode);
  if (!djangoKey && (!isCredentialName(name) || isTestPath(context.path))) return;
  const value = literalString(valueNode, context);
  if (value === undefined || value === '' || isPlaceholder(value) || isCredentialWordText(value) || shapedSecret(value))
    return;
  if (!djangoKey && isBareTokenName(name) && !looksRandom(value)) return;
  if (djangoKey) {
    context.report({ node: reportNode, messageId: 'djangoSecretKey', data: { masked: maskSecret(value) } });
    return;
  }
  context.report({ node: reportNode, messageId: 'namedSecret', data: { name, masked: maskSecret(value) } });
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
      awsAccessKey:
        'AWS access key id `{{masked}}` is written in the source; revoke it and load credentials from the environment or an IAM role',
      privateKey:
        'A {{kind}} is embedded in the source; revoke it and load the key from a file or secret store outside the repository',
      urlPassword:
        'The `{{scheme}}` URL carries the password of `{{user}}` (`{{masked}}`); load it from the environment or a secret store',
    },
    docs: {
      why: 'A credential in the source is shared with everyone who can read the repository, its forks, its CI logs and every built artefact, and it stays in the Git history after it is removed. It cannot be rotated without a release, and the same value usually ends up in every environment.',
      example:
        'import psycopg2\n\nDB_PASSWORD = "s3cr3t-Pa55w0rd"\nconn = psycopg2.connect(host="db", user="app", password=DB_PASSWORD)',
      fix: 'Read credentials from the environment or a secret manager at run time, and rotate any value that has been committed.\n\n```python\nimport os\nimport psycopg2\n\nconn = psycopg2.connect(host="db", user="app", password=os.environ["DB_PASSWORD"])\n```',
      knownProblems:
        'Credentials are recognised by name (`password`, `passwd`, `pwd`, `secret`, `token`, `api_key`, …) where a string literal is assigned, compared, passed as a keyword, used as a parameter default or stored under a dictionary key. Names that describe a credential rather than hold one (`password_field`, `token_url`, `PASSWORD_ENV`) are skipped, and so are values that are obviously not secrets: the empty string, placeholders (`changeme`, `password`, `<password>`, `${TOKEN}`, `***`), environment-variable names (`DB_PASSWORD`) and text with spaces (prompts and messages). Name-based findings are not reported in test files (`test_*.py`, `*_test.py`, `conftest.py`, `tests/`), whose credentials are usually throwaway fixtures; AWS keys, private keys and passwords in URLs are reported everywhere, since real ones leak through tests too. AWS example keys ending in `EXAMPLE` are ignored. Passwords in `http://`, `ftp://` and `telnet://` URLs are left to `cleartext-protocol`, which reports them once for both problems.',
      references: [
        'https://cwe.mitre.org/data/definitions/798.html',
        'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
        'https://docs.djangoproject.com/en/stable/ref/settings/#secret-key',
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
      ],
    },
  },
  visitors: {
    assignment(node, context) {
      const left = node.childForFieldName('left');
      if (left) checkNamedValue(context, targetName(left), node.childForFieldName('right'), node);
    },
    comparison_operator(node, context) {
      const operators = node.children.filter((c) => !c.isNamed).map((c) => c.type);
      if (!operators.every((op) => op === '==' || op === '!=')) return;
      const [left, right] = node.namedChildren;
      if (!left || !right) return;
      checkNamedValue(context, targetName(left), right, node);
      checkNamedValue(context, targetName(right), left, node);
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
      if (!SHAPES.some((shape) => shape.test(context.source))) return;
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
    ],
    invalid: [
      { code: 'DB_PASSWORD = "s3cr3t-Pa55w0rd"', errors: [{ messageId: 'namedSecret', line: 1, message: '`s3***`' }] },
      {
        code: 'def login(user, password="hunter22"):\n    pass',
        errors: [{ messageId: 'namedSecret', message: '`password`' }],
      },
      { code: 'if form.passwd == "letmein1":\n    grant()', errors: [{ messageId: 'namedSecret', line: 1 }] },
      {
        code: 'client = Client(api_key="sk_live_4eC39HqLyjWDarjtT1zdp7dc")',
        errors: [{ messageId: 'namedSecret', message: '`sk_l***`' }],
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
