import type { RuleContext } from '../../engine/context.js';
import type { Fix, SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { WEAK_HASH_CALLS, WEAK_HASHLIB_NAMES } from '../data/crypto-weak-algorithms.js';
import { spellModuleMember } from '../support/crypto-module-member.js';
import {
  destinationNames,
  enclosingFunctionName,
  hasNameWord,
  isPasswordName,
  stringContent,
} from '../support/secrets-names.js';

const WEAK_HASHES = new Map(WEAK_HASH_CALLS.map((row) => [row.call, row.algorithm]));

/** The call at the end of a method chain (`hashlib.md5(x).hexdigest()` → the `hexdigest` call), whose value is what gets stored. */
function outermostChainCall(call: SyntaxNode): SyntaxNode {
  let chain = call;
  while (chain.parent?.type === 'attribute' && chain.parent.parent?.type === 'call') chain = chain.parent.parent;
  return chain;
}

/**
 * True when `expression` reads a password-like name directly: `password`, `user.passwd`,
 * `form["pwd"]`, `password.encode()`. Call arguments are never looked into (`hash_password(pw)`
 * transforms its argument), so this stays within what `weak-password-hash` reports: a hash it
 * reports may rarely be reported here too, but none is left to neither rule.
 */
function readsPasswordName(expression: SyntaxNode): boolean {
  if (expression.type === 'identifier') return isPasswordName(expression.text);
  if (expression.type === 'string')
    return expression.parent?.type === 'subscript' && isPasswordName(stringContent(expression) ?? '');
  if (expression.type === 'call') {
    const callee = expression.childForFieldName('function');
    return callee?.type === 'attribute' && readsPasswordName(callee);
  }
  return expression.namedChildren.some(readsPasswordName);
}

/** `digest.update(…)` calls in the scope of `call` that feed a password to the digest `call` creates. */
function updatedWithPassword(call: SyntaxNode, context: RuleContext<string>): boolean {
  const feedsPassword = (update: SyntaxNode, receiverMatches: (receiver: SyntaxNode) => boolean) => {
    const callee = update.childForFieldName('function');
    const receiver =
      callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'update'
        ? callee.childForFieldName('object')
        : null;
    return (
      !!receiver &&
      receiverMatches(receiver) &&
      (update.childForFieldName('arguments')?.namedChildren ?? []).some((arg) => readsPasswordName(arg))
    );
  };
  // `hashlib.md5().update(password)`
  if (
    call.parent?.type === 'attribute' &&
    call.parent.parent?.type === 'call' &&
    feedsPassword(call.parent.parent, (receiver) => receiver.id === call.id)
  )
    return true;
  // `digest = hashlib.md5()` … `digest.update(password)`
  const assignment = call.parent;
  const target =
    assignment?.type === 'assignment' && assignment.childForFieldName('right')?.id === call.id
      ? assignment.childForFieldName('left')
      : null;
  if (target?.type !== 'identifier') return false;
  const scope = context.scopes.scopeFor(call).node;
  return scope
    .descendantsOfType('call')
    .some((update) =>
      feedsPassword(update, (receiver) => receiver.type === 'identifier' && receiver.text === target.text),
    );
}

/**
 * True when the digest hashes a password: the hashed expression or the digest's destination is
 * named like one, or a password is fed to it later. `weak-password-hash` reports those, with
 * the right advice (a password-hashing function, not a stronger digest).
 */
function involvesPassword(call: SyntaxNode, data: SyntaxNode | undefined, context: RuleContext<string>): boolean {
  if (data && readsPasswordName(data)) return true;
  return destinationNames(outermostChainCall(call)).some(isPasswordName) || updatedWithPassword(call, context);
}

/** Name words that promise a specific digest: code named after it must keep computing it. */
const ALGORITHM_WORDS = new Set(['md2', 'md4', 'md5', 'sha', 'sha1']);

/** True when the function around the call or the digest's destination is named after the algorithm (`def md5_hex`, `etag_md5 = …`). */
function namedAfterAlgorithm(call: SyntaxNode): boolean {
  const names = [...destinationNames(outermostChainCall(call)), enclosingFunctionName(call) ?? ''];
  return names.some((name) => hasNameWord(name, ALGORITHM_WORDS));
}

/** `hashlib.md5(…)` → `hashlib.sha256(…)`, or `hashlib.new("md5", …)` → `hashlib.new("sha256", …)`. */
function sha256Fix(
  call: SyntaxNode,
  algorithmName: SyntaxNode | undefined,
  context: RuleContext<string>,
): Fix | undefined {
  if (algorithmName) {
    if (algorithmName.type !== 'string' || stringContent(algorithmName) === undefined) return undefined;
    const quote = algorithmName.text.at(-1)!;
    return { description: 'Use SHA-256', edits: [context.replaceNode(algorithmName, `${quote}sha256${quote}`)] };
  }
  const callee = call.childForFieldName('function')!;
  const spelling = spellModuleMember(context, callee, 'hashlib', 'sha256');
  return spelling ? { description: `Use \`${spelling}\``, edits: [context.replaceNode(callee, spelling)] } : undefined;
}

export default createRule({
  id: 'insecure-hash-function',
  meta: {
    title: 'Broken hash function',
    category: 'crypto',
    cwe: [327, 328],
    severity: 'medium',
    confidence: 'medium',
    equivalents: { bandit: ['B303', 'B324'], ruff: ['S303', 'S324'] },
    messages: {
      weakHash:
        '`{{fn}}` computes {{algorithm}}, which is broken for collision resistance; use SHA-256 or pass `usedforsecurity=False` if this is not a security use',
    },
    docs: {
      why: 'MD5 and SHA-1 have practical collision attacks (two different inputs with the same digest can be produced for a few dollars of compute), and MD2/MD4 are weaker still. A digest used for signatures, integrity checks, deduplication of untrusted uploads, cache keys that gate access or HMAC-less tokens can therefore be forged.',
      example:
        'import hashlib\n\ndef fingerprint(document: bytes) -> str:\n    return hashlib.md5(document).hexdigest()',
      fix: 'Use SHA-256 (or SHA-3, BLAKE2). When the digest is not a security control (a checksum a legacy protocol requires, a non-adversarial cache key), say so with `usedforsecurity=False`, which also keeps the code working on FIPS builds.\n\n```python\nimport hashlib\n\ndef fingerprint(document: bytes) -> str:\n    return hashlib.sha256(document).hexdigest()\n\ndef etag(body: bytes) -> str:\n    return hashlib.md5(body, usedforsecurity=False).hexdigest()\n```',
      knownProblems:
        'Changing the hash changes every digest it produces: if the value is compared with digests stored elsewhere (a database column, a file format, a peer that expects MD5), the suggested fix breaks that comparison, so review it rather than applying it blindly. The fix is only offered for `hashlib` calls, only when `hashlib.sha256` can be spelled with the names the file already imports, and not when the enclosing function or the receiving variable is named after the algorithm (`def md5_hex(...)`), since such code promises that digest. Hashes of values named like passwords (in the hashed expression, in the variable that receives the digest, or fed through `.update()` later in the same scope) are left to `weak-password-hash`, which asks for a password-hashing function instead. The digest is reported where it is created; passing the constructor itself (`hmac.new(key, msg, hashlib.sha1)`) is not reported, since HMAC-SHA1 remains sound.',
      references: [
        'https://docs.python.org/3/library/hashlib.html#hash-algorithms',
        'https://cwe.mitre.org/data/definitions/328.html',
        'https://shattered.io/',
        'https://csrc.nist.gov/projects/hash-functions/nist-policy-on-hash-functions',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = context.calleeName(node);
      if (!fn) return;
      let algorithm = WEAK_HASHES.get(fn);
      let algorithmName: SyntaxNode | undefined;
      if (fn === 'hashlib.new') {
        algorithmName = context.argument(node, 0, 'name');
        algorithm = WEAK_HASHLIB_NAMES.get(context.stringValue(algorithmName)?.toLowerCase() ?? '');
      }
      if (!algorithm) return;
      // `usedforsecurity=False` (Python 3.9+) declares a non-security use.
      if (context.literalValue(context.keywordArgument(node, 'usedforsecurity')) === false) return;
      const data = fn.startsWith('hashlib.')
        ? context.argument(node, fn === 'hashlib.new' ? 1 : 0, fn === 'hashlib.new' ? 'data' : 'string')
        : context.argument(node, 0, 'data');
      if (involvesPassword(node, data, context)) return;
      const fix =
        fn.startsWith('hashlib.') && !namedAfterAlgorithm(node) ? sha256Fix(node, algorithmName, context) : undefined;
      context.report({ node, messageId: 'weakHash', data: { fn, algorithm }, ...(fix ? { fix } : {}) });
    },
  },
  tests: {
    valid: [
      'import hashlib\nhashlib.sha256(data).hexdigest()',
      'import hashlib\nhashlib.md5(data, usedforsecurity=False).hexdigest()',
      'import hashlib\nhashlib.new("sha512", data)',
      'import hashlib\nhashlib.md5(password.encode()).hexdigest()',
      'import hashlib\nhashed_password = hashlib.sha1(salted).hexdigest()',
      'import hashlib\ndef store(password):\n    digest = hashlib.md5()\n    digest.update(password.encode())\n    return digest.hexdigest()',
      'import hashlib\nhashlib.sha1().update(passPhrase)',
      'import hmac, hashlib\nhmac.new(key, msg, hashlib.sha1)',
      'def md5(x):\n    return x\nmd5(data)',
      'from cryptography.hazmat.primitives import hashes\nhashes.Hash(hashes.SHA256())',
    ],
    invalid: [
      {
        code: 'import hashlib\ndigest = hashlib.md5(data).hexdigest()',
        errors: [{ messageId: 'weakHash', line: 2, message: '`hashlib.md5` computes MD5' }],
        output: 'import hashlib\ndigest = hashlib.sha256(data).hexdigest()',
      },
      {
        code: 'import hashlib as h\nh.new("SHA1", blob)',
        errors: [{ messageId: 'weakHash', message: 'SHA-1' }],
        output: 'import hashlib as h\nh.new("sha256", blob)',
      },
      {
        code: 'from hashlib import sha1, sha256\nsha1(chunk)',
        errors: [{ messageId: 'weakHash' }],
        output: 'from hashlib import sha1, sha256\nsha256(chunk)',
      },
      { code: 'from hashlib import md5\nmd5(chunk)', errors: [{ messageId: 'weakHash' }] },
      {
        code: 'import hashlib\ndef content_md5(body):\n    return hashlib.md5(body).hexdigest()',
        errors: [{ messageId: 'weakHash', line: 3 }],
      },
      {
        code: 'import hashlib\nkey = hashlib.md5(get_secret()).hexdigest()',
        errors: [{ messageId: 'weakHash' }],
        output: 'import hashlib\nkey = hashlib.sha256(get_secret()).hexdigest()',
      },
      {
        code: 'from Crypto.Hash import MD5\nMD5.new(data)',
        errors: [{ messageId: 'weakHash', message: '`Crypto.Hash.MD5.new`' }],
      },
      { code: 'from Cryptodome.Hash import MD4\nMD4.new(data)', errors: [{ messageId: 'weakHash', message: 'MD4' }] },
      {
        code: 'from cryptography.hazmat.primitives import hashes\nhashes.Hash(hashes.SHA1())',
        errors: [{ messageId: 'weakHash', line: 2 }],
      },
      {
        code: 'import hashlib\nhashlib.new(name="md4", data=payload, usedforsecurity=True)',
        errors: [{ messageId: 'weakHash' }],
        output: 'import hashlib\nhashlib.new(name="sha256", data=payload, usedforsecurity=True)',
      },
    ],
  },
});
