import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { destinationNames, isPasswordName, stringContent } from '../support/secrets-names.js';

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
function fastDigestName(call: SyntaxNode, context: RuleContext<string>): string | undefined {
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
    if (node.type === 'identifier' && isPasswordName(node.text)) return node.text;
    if (node.type === 'string' && node.parent?.type === 'subscript') {
      const key = stringContent(node);
      if (key && isPasswordName(key)) return key;
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
        'Passwords are recognised by name (`password`, `passwd`, `pwd`, `passphrase`, `secret`) in the hashed expression or in the variable that receives the digest; a password held under another name is missed. Hashing a high-entropy token (`reset_token`) with SHA-256 is fine and names containing `token`, `nonce` or `otp` are not reported. `.update()` is followed only when the receiver is bound once, in the same scope, to a hashlib constructor.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html',
        'https://docs.python.org/3/library/hashlib.html#key-derivation',
        'https://cwe.mitre.org/data/definitions/916.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
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
        code: 'import hashlib\nhashlib.sha1().update(passPhrase)',
        errors: [{ messageId: 'hashedPassword', message: 'passPhrase' }],
      },
    ],
  },
});
