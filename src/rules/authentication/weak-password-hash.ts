import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { isDevelopmentSetting } from '../support/config-settings.js';
import { destinationNames, hasNameWord, isPasswordName, stringContent } from '../support/secrets-names.js';

type MessageId = 'hashedPassword' | 'storedAsPassword' | 'weakHasher' | 'weakParameters';

/** Django hashers that store unsalted or fast digests (and `crypt`, limited to 8 characters). */
const WEAK_DJANGO_HASHERS = new Set(
  [
    'UnsaltedMD5PasswordHasher',
    'UnsaltedSHA1PasswordHasher',
    'MD5PasswordHasher',
    'SHA1PasswordHasher',
    'CryptPasswordHasher',
  ].map((name) => `django.contrib.auth.hashers.${name}`),
);
/** PINs and passcodes: so few possible values that a fast digest of one is reversed instantly. */
const PIN_WORDS = new Set(['pin', 'pincode', 'passcode']);
/** Keyed digests, which a pepper does not make slow. */
const KEYED_DIGESTS = new Set(['hmac.new', 'hmac.digest', 'hmac.HMAC']);
/**
 * Cost settings below current guidance (OWASP Password Storage Cheat Sheet): bcrypt's work
 * factor at least 10, Argon2id at least 19 MiB of memory, PBKDF2 at least 100,000 iterations.
 */
const MINIMUMS: readonly { fn: string; keyword: string; position?: number; minimum: number }[] = [
  { fn: 'bcrypt.gensalt', keyword: 'rounds', position: 0, minimum: 10 },
  { fn: 'argon2.PasswordHasher', keyword: 'memory_cost', minimum: 19_456 },
  { fn: 'argon2.PasswordHasher', keyword: 'time_cost', minimum: 1 },
  { fn: 'argon2.low_level.hash_secret', keyword: 'memory_cost', minimum: 19_456 },
  { fn: 'hashlib.pbkdf2_hmac', keyword: 'iterations', position: 3, minimum: 100_000 },
];

/** Passwords and PINs by name. */
function isSecretCredentialName(name: string): boolean {
  return isPasswordName(name) || hasNameWord(name, PIN_WORDS);
}

/** General-purpose digests: built to be fast, which is exactly wrong for passwords. */
const FAST_DIGESTS = new Set([
  'md5',
  'sha1',
  'sha224',
  'sha256',
  'sha384',
  'sha512',
  'sha512_224',
  'sha512_256',
  'sha3_224',
  'sha3_256',
  'sha3_384',
  'sha3_512',
  'blake2b',
  'blake2s',
]);

/** The digest name when `call` creates a fast hashlib digest (`hashlib.sha256(…)`, `hashlib.new("md5")`). */
function fastDigestName(call: SyntaxNode, context: RuleContext<MessageId>): string | undefined {
  const fn = context.calleeName(call);
  if (!fn?.startsWith('hashlib.')) return undefined;
  // `usedforsecurity=False` declares the digest is not a security control.
  if (context.literalValue(context.keywordArgument(call, 'usedforsecurity')) === false) return undefined;
  const digest = fn.slice('hashlib.'.length);
  if (digest === 'new') {
    const name = context
      .stringValue(context.argument(call, 0, 'name'))
      ?.toLowerCase()
      .replace(/-/g, '');
    return name && FAST_DIGESTS.has(name) ? name : undefined;
  }
  return FAST_DIGESTS.has(digest) ? digest : undefined;
}

/** The data argument of a digest constructor (`hashlib.new` takes it second). */
function hashedData(call: SyntaxNode, digestCall: boolean, context: RuleContext<string>): SyntaxNode | undefined {
  if (!digestCall) return context.argument(call, 0);
  return context.calleeName(call) === 'hashlib.new'
    ? context.argument(call, 1, 'data')
    : (context.argument(call, 0, 'string') ?? context.keywordArgument(call, 'data'));
}

/** Calls whose result still is the password, re-encoded or joined with a salt. */
const PRESERVING_CALLS = new Set([
  'str',
  'bytes',
  'bytearray',
  'encode',
  'format',
  'join',
  'strip',
  'lower',
  'upper',
  'replace',
]);

/** The first password-like name mentioned in an expression (`password.encode()`, `form["pwd"]`). */
function passwordMention(expression: SyntaxNode): string | undefined {
  const stack = [expression];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'identifier' && isSecretCredentialName(node.text)) return node.text;
    if (node.type === 'string' && node.parent?.type === 'subscript') {
      const key = stringContent(node);
      if (key && isSecretCredentialName(key)) return key;
    }
    // Only conversions keep the password as it is; any other call (`hash_password(pw)`) transforms it.
    if (node.type === 'call') {
      const fn = node.childForFieldName('function');
      if (fn?.type === 'attribute') stack.push(fn);
      const calleeName = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
      if (calleeName && PRESERVING_CALLS.has(calleeName))
        stack.push(...(node.childForFieldName('arguments')?.namedChildren ?? []));
      continue;
    }
    stack.push(...node.namedChildren);
  }
  return undefined;
}

/** The digest a `.update()` receiver holds: `h` bound to `hashlib.sha1()`, or `hashlib.sha1()` itself. */
function digestOfReceiver(receiver: SyntaxNode, context: RuleContext<string>): string | undefined {
  if (receiver.type === 'call') return fastDigestName(receiver, context);
  if (receiver.type !== 'identifier') return undefined;
  const bindings = context.bindingsOf(receiver);
  if (bindings.length === 0 || bindings.some((b) => b.kind !== 'assign' || b.value?.type !== 'call')) return undefined;
  const digests = bindings.map((b) => fastDigestName(b.value!, context));
  return digests.every((d) => d !== undefined && d === digests[0]) ? digests[0] : undefined;
}

/** The call at the end of a method chain (`hashlib.md5(p).hexdigest()` → the `hexdigest` call). */
function outermostChainCall(call: SyntaxNode): SyntaxNode {
  let current = call;
  while (current.parent?.type === 'attribute' && current.parent.parent?.type === 'call')
    current = current.parent.parent;
  return current;
}

/** A cost setting below current guidance, as a literal. */
function checkParameters(call: SyntaxNode, context: RuleContext<MessageId>): void {
  const fn = context.calleeName(call);
  for (const rule of MINIMUMS) {
    if (rule.fn !== fn) continue;
    const value = context.literalValue(context.argument(call, rule.position, rule.keyword));
    if (typeof value === 'number' && value < rule.minimum)
      context.report({
        node: call,
        messageId: 'weakParameters',
        data: { fn, keyword: rule.keyword, value, minimum: rule.minimum.toLocaleString('en-US') },
        severity: 'medium',
      });
  }
}

export default createRule({
  id: 'weak-password-hash',
  meta: {
    title: 'Password hashed with a fast digest',
    category: 'authentication',
    cwe: [916, 328],
    severity: 'high',
    confidence: 'high',
    equivalents: { semgrep: ['python.lang.security.audit.md5-used-as-password.md5-used-as-password'] },
    messages: {
      weakHasher:
        '`PASSWORD_HASHERS` lists `{{hasher}}`, which stores fast or unsalted digests; list only PBKDF2, Argon2, bcrypt or scrypt hashers',
      weakParameters:
        '`{{fn}}` is given `{{keyword}}={{value}}`, below the current minimum of {{minimum}}; a leaked hash is that much cheaper to crack',
      hashedPassword:
        '`{{digest}}` hashes the password `{{name}}`; fast digests can be brute-forced, use bcrypt, argon2, scrypt or `hashlib.pbkdf2_hmac`',
      storedAsPassword:
        '`{{digest}}` output is stored as the password hash `{{name}}`; use bcrypt, argon2, scrypt or `hashlib.pbkdf2_hmac`',
    },
    docs: {
      why: 'MD5, SHA-1 and even SHA-256 are designed to be fast: a single GPU computes billions of them per second, so a leaked table of such password hashes is cracked within hours, salted or not. Password storage needs a deliberately slow, memory-hard key-derivation function with a per-user salt.',
      example:
        'import hashlib\n\ndef store(user, password):\n    user.password_hash = hashlib.sha256(password.encode()).hexdigest()',
      fix: 'Use a password-hashing function: `bcrypt`, `argon2-cffi`, `hashlib.scrypt`, or `hashlib.pbkdf2_hmac` with a random salt and a high iteration count (Django and passlib do this for you).\n\n```python\nimport hashlib\nimport os\n\ndef store(user, password):\n    salt = os.urandom(16)\n    user.password_salt = salt\n    user.password_hash = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)\n```',
      knownProblems:
        'Passwords are recognised by name (`password`, `passwd`, `pwd`, `passphrase`, `secret`) in the hashed expression or in the variable that receives the digest; a password held under another name is missed. Hashing a high-entropy token (`reset_token`) with SHA-256 is fine and names containing `token`, `nonce` or `otp` are not reported. `.update()` is followed only when the receiver is bound once, in the same scope, to a hashlib constructor. PINs and passcodes (`pin`, `pincode`, `passcode`) count as passwords, and so does `hmac.new`/`hmac.digest` of a password with a pepper as key, which is just as fast. Django `PASSWORD_HASHERS` listing `UnsaltedMD5PasswordHasher`, `UnsaltedSHA1PasswordHasher`, `MD5PasswordHasher`, `SHA1PasswordHasher` or `CryptPasswordHasher` is reported at each such entry, except in test modules and development settings, where fast hashers speed up test suites. Literal cost settings below the OWASP minimums are reported at medium severity: `bcrypt.gensalt(rounds<10)`, Argon2 `memory_cost` below 19,456 KiB or `time_cost` below 1, and `hashlib.pbkdf2_hmac` with fewer than 100,000 iterations.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html',
        'https://docs.python.org/3/library/hashlib.html#key-derivation',
        'https://cwe.mitre.org/data/definitions/916.html',
      ],
    },
  },
  visitors: {
    assignment(node, context) {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type !== 'identifier' || left.text !== 'PASSWORD_HASHERS' || !right) return;
      if (isDevelopmentSetting(node, context)) return;
      for (const item of right.type === 'list' || right.type === 'tuple' ? right.namedChildren : []) {
        const hasher = context.stringValue(item);
        if (hasher && WEAK_DJANGO_HASHERS.has(hasher))
          context.report({
            node: item,
            messageId: 'weakHasher',
            data: { hasher: hasher.slice(hasher.lastIndexOf('.') + 1) },
          });
      }
    },
    call(node, context) {
      checkParameters(node, context);
      if (KEYED_DIGESTS.has(context.calleeName(node) ?? '') && context.isModuleImported('hmac')) {
        // `hmac.new(PEPPER, password, sha256)`: a pepper does not slow a fast digest down.
        const message = context.argument(node, 1, 'msg');
        const mentioned = message && passwordMention(message);
        if (mentioned) context.report({ node, messageId: 'hashedPassword', data: { digest: 'hmac', name: mentioned } });
        return;
      }
      if (!context.isModuleImported('hashlib')) return;
      const digest = fastDigestName(node, context);
      if (digest) {
        const data = hashedData(node, true, context);
        const mentioned = data && passwordMention(data);
        if (mentioned) {
          context.report({ node, messageId: 'hashedPassword', data: { digest, name: mentioned } });
          return;
        }
        const stored = destinationNames(outermostChainCall(node)).find(isPasswordName);
        if (stored)
          context.report({ node, messageId: 'storedAsPassword', data: { digest, name: stored }, confidence: 'medium' });
        return;
      }
      const fn = node.childForFieldName('function');
      if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'update') return;
      const receiver = fn.childForFieldName('object');
      const updatedDigest = receiver && digestOfReceiver(receiver, context);
      const data = updatedDigest && hashedData(node, false, context);
      const mentioned = data && passwordMention(data);
      if (updatedDigest && mentioned)
        context.report({ node, messageId: 'hashedPassword', data: { digest: updatedDigest, name: mentioned } });
    },
  },
  tests: {
    valid: [
      'import hashlib\ndigest = hashlib.sha256(file_bytes).hexdigest()',
      'import hashlib\nkey = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)',
      'import hashlib\ntoken_hash = hashlib.sha256(reset_token.encode()).hexdigest()',
      'import hashlib\nh = hashlib.md5(password, usedforsecurity=False)',
      'import hashlib\nh = hashlib.new("sha256")\nh.update(chunk)',
      'def md5(x):\n    return x\nmd5(password)',
      'import hashlib\nh = hashlib.sha256(hash_password(password)).hexdigest()',
      'import hmac, hashlib\nsig = hmac.new(key, body, hashlib.sha256).hexdigest()',
      'import bcrypt\nhashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=12))',
      'from argon2 import PasswordHasher\nph = PasswordHasher(time_cost=3, memory_cost=65536)',
      {
        code: 'PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]',
        filename: 'project/settings/test.py',
      },
      'PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]',
    ],
    invalid: [
      {
        code: 'import hashlib\nhashlib.md5(password).hexdigest()',
        errors: [{ messageId: 'hashedPassword', line: 2, message: '`md5` hashes the password `password`' }],
      },
      {
        code: 'from hashlib import sha1 as s\ndigest = s(user.passwd.encode("utf-8"))',
        errors: [{ messageId: 'hashedPassword', line: 2 }],
      },
      {
        code: 'import hashlib\nh = hashlib.new("MD5", request.form["pwd"].encode())',
        errors: [{ messageId: 'hashedPassword' }],
      },
      {
        code: 'import hashlib\ndef save(secret):\n    h = hashlib.sha512()\n    h.update(salt + secret.encode())\n    return h.hexdigest()',
        errors: [{ messageId: 'hashedPassword', line: 4 }],
      },
      {
        code: 'import hashlib\nhashed_password = hashlib.sha256(data).hexdigest()',
        errors: [{ messageId: 'storedAsPassword', confidence: 'medium' }],
      },
      {
        code: 'import hmac, hashlib\ndef store(user, password):\n    user.password_hash = hmac.new(PEPPER, password.encode(), hashlib.sha256).hexdigest()',
        errors: [{ messageId: 'hashedPassword', line: 3, message: '`hmac` hashes the password `password`' }],
      },
      {
        code: 'import hashlib\ncard.pin_hash = hashlib.sha3_256(pin.encode()).hexdigest()',
        errors: [{ messageId: 'hashedPassword', message: '`pin`' }],
      },
      {
        code: 'PASSWORD_HASHERS = [\n    "django.contrib.auth.hashers.UnsaltedMD5PasswordHasher",\n    "django.contrib.auth.hashers.PBKDF2PasswordHasher",\n    "django.contrib.auth.hashers.SHA1PasswordHasher",\n]',
        filename: 'project/settings.py',
        errors: [
          { messageId: 'weakHasher', line: 2, message: '`UnsaltedMD5PasswordHasher`' },
          { messageId: 'weakHasher', line: 4 },
        ],
      },
      {
        code: 'import bcrypt\nhashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(4))',
        errors: [{ messageId: 'weakParameters', message: '`rounds=4`' }],
      },
      {
        code: 'from argon2 import PasswordHasher\nph = PasswordHasher(memory_cost=1024, parallelism=1)\nimport hashlib\nkey = hashlib.pbkdf2_hmac("sha256", pw, salt, 1000)',
        errors: [
          { messageId: 'weakParameters', line: 2, message: 'memory_cost=1024' },
          { messageId: 'weakParameters', line: 4, message: '100,000' },
        ],
      },
      {
        code: 'import hashlib\nhashlib.sha1().update(passPhrase)',
        errors: [{ messageId: 'hashedPassword', message: 'passPhrase' }],
      },
    ],
  },
});
