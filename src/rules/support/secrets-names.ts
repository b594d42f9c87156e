import type { SyntaxNode } from '../../engine/types.js';
import { anyOfLiterals } from './literal-pattern.js';

/**
 * Name-based evidence about secrets: which identifiers hold passwords or tokens, where a value
 * is headed (the variable, keyword or function it ends up in), and how to show a secret in a
 * message without leaking it.
 */

/** `hashedPassword`, `DB_PASSWORD`, `pass_phrase` → lower-case words. */
export function nameWords(name: string): readonly string[] {
  let words = wordsByName.get(name);
  if (words === undefined) {
    // Several rules ask about the same names, and a scan meets the same few names again and
    // again; dropped when full, like `credentialNames`, so a long-running app does not grow it.
    if (wordsByName.size >= MAX_CACHED_NAMES) wordsByName.clear();
    // Python names are mostly snake_case, which has no case boundaries to find.
    words = (
      SNAKE_CASE.test(name)
        ? name.split('_')
        : name
            .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
            .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
            .toLowerCase()
            .split(/[^a-z0-9]+/)
    ).filter(Boolean);
    wordsByName.set(name, words);
  }
  return words;
}

const wordsByName = new Map<string, readonly string[]>();
const SNAKE_CASE = /^[a-z0-9_]*$/;

/**
 * True when one of `name`'s words is in `words` (lower-case letters and digits, as `nameWords`
 * gives them). A name that does not even hold one of them as text is turned down without being
 * split: rules ask this of every assignment target, and few names hold any.
 */
export function hasNameWord(name: string, words: ReadonlySet<string>): boolean {
  let screen = wordScreens.get(words);
  if (!screen) {
    screen = anyOfLiterals(words, 'i');
    wordScreens.set(words, screen);
  }
  return screen.test(name) && nameWords(name).some((word) => words.has(word));
}

const wordScreens = new WeakMap<ReadonlySet<string>, RegExp>();

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'passwords', 'secret', 'secrete']);

/** True when one of the words names a password, including the split spelling `pass_phrase`. */
function hasPasswordWord(words: readonly string[]): boolean {
  return words.some(
    (word, i) => PASSWORD_WORDS.has(word) || (word === 'pass' && (words[i + 1] === 'phrase' || words.length === 1)),
  );
}

/** Words that say a name holds a single-use random value rather than a password. */
const TOKEN_WORDS = new Set(['token', 'nonce', 'otp']);

/** Names of things that hold a password (`password`, `user_pwd`, `passPhrase`, `secret`), not tokens. */
export function isPasswordName(name: string): boolean {
  const words = nameWords(name);
  return hasPasswordWord(words) && !words.some((w) => TOKEN_WORDS.has(w));
}

/**
 * A last word that says the name holds something *about* the credential (its field name, URL,
 * environment variable, length, prompt…) rather than the credential itself.
 */
const DESCRIPTIVE_SUFFIXES = new Set([
  'type',
  'url',
  'uri',
  'file',
  'filename',
  'path',
  'dir',
  'name',
  'field',
  'fields',
  'prefix',
  'suffix',
  'header',
  'length',
  'len',
  'size',
  'regex',
  're',
  'pattern',
  'env',
  'var',
  'variable',
  'label',
  'hint',
  'prompt',
  'message',
  'msg',
  'template',
  'format',
  'fmt',
  'class',
  'mode',
  'policy',
  'id',
  'column',
  'col',
  'attr',
  'attribute',
  'param',
  'parameter',
  'endpoint',
  'method',
  'kind',
  'placeholder',
  'help',
  'text',
  'title',
  'error',
  'errors',
  'input',
  'widget',
  'required',
  'min',
  'max',
  'chars',
  'charset',
  'encoding',
  'hasher',
  'hashers',
  'algorithm',
  'algorithms',
  'backend',
  'validator',
  'validators',
  'view',
  'form',
  'cookie',
  'location',
  'scope',
  'scopes',
  'storage',
  'expiry',
  'expires',
  'ttl',
  'timeout',
  'age',
  'option',
  'options',
  'setting',
  'flag',
  'command',
  'cmd',
  'char',
  'sep',
  'separator',
  'state',
  'status',
  'enabled',
  'disabled',
  'count',
  'reset',
  'change',
  'changed',
  'expired',
  'rotation',
  'strength',
]);

const CREDENTIAL_COMPOUNDS: readonly (readonly [string, string])[] = [
  ['api', 'key'],
  ['apikey', ''],
  ['secret', 'key'],
  ['private', 'key'],
  ['access', 'key'],
  ['auth', 'key'],
  ['signing', 'key'],
  ['encryption', 'key'],
  ['client', 'secret'],
  ['auth', 'token'],
  ['access', 'token'],
  ['refresh', 'token'],
  ['api', 'token'],
  ['bearer', 'token'],
];

/**
 * Names of things that hold a credential: passwords, tokens, API and private keys
 * (`DB_PASSWORD`, `api_key`, `authToken`), but not names that describe one (`password_field`,
 * `token_url`, `PASSWORD_ENV`).
 */
export function isCredentialName(name: string): boolean {
  // Most names have none of the letters any credential word is made of; they need no words.
  if (!CREDENTIAL_LETTERS.test(name)) return false;
  let answer = credentialNames.get(name);
  if (answer === undefined) {
    // The same few names come up again and again across a scan; the cache is bounded by
    // being dropped when full, so a long-running app does not grow it forever.
    if (credentialNames.size >= MAX_CACHED_NAMES) credentialNames.clear();
    answer = judgeCredentialName(name);
    credentialNames.set(name, answer);
  }
  return answer;
}

const credentialNames = new Map<string, boolean>();
/**
 * Every word `judgeCredentialName` accepts contains one of these: the password words contain
 * `pass`, `pwd` or `secret`, and every compound has a `key`, `secret` or `token`.
 */
const CREDENTIAL_LETTERS = /pass|pwd|secret|token|key/i;
const MAX_CACHED_NAMES = 10_000;

function judgeCredentialName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0 || DESCRIPTIVE_SUFFIXES.has(words.at(-1)!)) return false;
  return isCompoundCredential(words) || hasPasswordWord(words) || words.includes('token');
}

function isCompoundCredential(words: readonly string[]): boolean {
  return CREDENTIAL_COMPOUNDS.some(([a, b]) => words.some((w, i) => w === a && (b === '' || words[i + 1] === b)));
}

/**
 * True when a name's only credential word is a bare `token`, which lexers and parsers use for
 * their own tokens; such names need a value that looks random before they count.
 */
export function isBareTokenName(name: string): boolean {
  const words = nameWords(name);
  return (
    words.includes('token') &&
    !hasPasswordWord(words) &&
    !isCompoundCredential(words) &&
    !words.some((w) => TOKEN_QUALIFIERS.has(w))
  );
}

const TOKEN_QUALIFIERS = new Set([
  'auth',
  'access',
  'api',
  'bearer',
  'refresh',
  'session',
  'oauth',
  'github',
  'gitlab',
  'slack',
  'bot',
]);

/** True when a string is itself made of credential words (`_password_reset_token`, `set-password`): a name, not a value. */
export function isCredentialWordText(value: string): boolean {
  const words = nameWords(value);
  return hasPasswordWord(words) || words.includes('token') || isCompoundCredential(words);
}

const KEY_QUALIFIERS = new Set([
  'api',
  'secret',
  'private',
  'session',
  'access',
  'encryption',
  'crypto',
  'signing',
  'aes',
  'hmac',
  'auth',
  'master',
  'license',
]);
const CODE_QUALIFIERS = new Set([
  'reset',
  'verification',
  'verify',
  'activation',
  'auth',
  'confirm',
  'confirmation',
  'otp',
  'sms',
  'login',
  '2fa',
  'mfa',
  'invite',
  'invitation',
  'recovery',
  'security',
  'access',
]);
const SECRET_PURPOSE_WORDS = new Set([
  'token',
  'tokens',
  'nonce',
  'otp',
  'totp',
  'hotp',
  'salt',
  'csrf',
  'xsrf',
  'apikey',
  'pin',
  'sessionid',
  'sid',
]);

/**
 * Names that say a value must be unguessable: tokens, passwords, keys, nonces, one-time codes,
 * salts, reset codes (`reset_token`, `generate_password`, `make_api_key`, `otp`).
 */
export function isSecretPurposeName(name: string): boolean {
  const words = nameWords(name);
  if (hasPasswordWord(words)) return true;
  return words.some((word, i) => {
    if (SECRET_PURPOSE_WORDS.has(word)) return true;
    const previous = words[i - 1];
    if (word === 'key' || word === 'keys') return previous !== undefined && KEY_QUALIFIERS.has(previous);
    if (word === 'code' || word === 'codes') return previous !== undefined && CODE_QUALIFIERS.has(previous);
    if (word === 'id') return previous === 'session';
    return false;
  });
}

/**
 * Shows at most the first few characters of a secret: four of a long one, two of a medium one,
 * none of a short one, so the message identifies the value without disclosing it.
 */
export function maskSecret(value: string): string {
  const shown = value.length >= 16 ? 4 : value.length >= 8 ? 2 : 0;
  return `${value.slice(0, shown)}***`;
}

/** Test modules, fixtures and test folders, where throwaway credentials and asserts are expected. */
export function isTestPath(path: string): boolean {
  const normalized = path.replace(/\\/g, '/');
  return (
    /(^|\/)(tests?|testing)\//.test(normalized) || /(^|\/)(test_[^/]*|[^/]*_tests?|conftest)\.py$/.test(normalized)
  );
}

/** The last name in an assignment target or keyword: `user.password` → `password`, `cfg["pwd"]` → `pwd`. */
export function targetName(target: SyntaxNode): string | undefined {
  if (target.type === 'identifier') return target.text;
  if (target.type === 'attribute') return target.childForFieldName('attribute')?.text;
  if (target.type === 'subscript') {
    const key = target.childForFieldName('subscript');
    if (key?.type === 'string') return stringContent(key);
  }
  return undefined;
}

/** The literal text of a plain string node (no interpolation), without quotes or escapes processing. */
export function stringContent(node: SyntaxNode): string | undefined {
  if (node.type !== 'string' || node.namedChildren.some((c) => c.type === 'interpolation')) return undefined;
  return node.namedChildren
    .filter((c) => c.type === 'string_content')
    .map((c) => c.text)
    .join('');
}

/** Nodes that end the search for where a value goes: past them, the value is part of a larger statement. */
const STATEMENT_BOUNDARIES = new Set([
  'expression_statement',
  'block',
  'module',
  'if_statement',
  'for_statement',
  'while_statement',
  'with_statement',
  'lambda',
]);

/**
 * The names that say what an expression is for: the variable it is assigned to, the keyword it
 * is passed as, the dictionary key it is stored under and the function that returns it.
 * `token = "".join(random.choice(a) for _ in range(9))` → `["token"]`.
 */
export function destinationNames(node: SyntaxNode): string[] {
  const names: string[] = [];
  let child = node;
  for (
    let current = node.parent;
    current && !STATEMENT_BOUNDARIES.has(current.type);
    child = current, current = current.parent
  ) {
    if (current.type === 'assignment' || current.type === 'augmented_assignment') {
      const left = current.childForFieldName('left');
      if (left && left.id !== child.id) names.push(...assignedNames(left));
    } else if (
      current.type === 'keyword_argument' ||
      current.type === 'default_parameter' ||
      current.type === 'typed_default_parameter'
    ) {
      const name = current.childForFieldName('name')?.text;
      if (name) names.push(name);
    } else if (current.type === 'pair') {
      const key = current.childForFieldName('key');
      const keyText = key && stringContent(key);
      if (keyText) names.push(keyText);
    } else if (current.type === 'return_statement') {
      const fn = enclosingFunctionName(current);
      if (fn) names.push(fn);
      break;
    }
  }
  return names;
}

function assignedNames(left: SyntaxNode): string[] {
  if (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern')
    return left.namedChildren.flatMap(assignedNames);
  const name = targetName(left);
  return name ? [name] : [];
}

/** The name of the innermost function around `node`, if any. */
export function enclosingFunctionName(node: SyntaxNode): string | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition') return current.childForFieldName('name')?.text;
    if (current.type === 'class_definition') return undefined;
  }
  return undefined;
}
