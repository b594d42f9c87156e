import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';

/** Decoders that check a token's signature unless told not to (PyJWT and python-jose). */
const DECODERS = new Set([
  'jwt.decode',
  'jwt.decode_complete',
  'jwt.api_jwt.decode',
  'jwt.api_jwt.decode_complete',
  'jose.jwt.decode',
]);
/** python-jose helpers that return claims without checking anything. */
const UNVERIFIED_READERS = new Set(['jose.jwt.get_unverified_claims']);

/** The option that turns off signature checking in PyJWT 2 and python-jose. */
const SIGNATURE_OPTION = 'verify_signature';

/** The `options` mapping as key → value node, from a dict literal or `dict(k=v)`. */
function optionEntries(options: SyntaxNode, context: RuleContext<string>): [string, SyntaxNode][] {
  if (options.type === 'dictionary') {
    return options.namedChildren.flatMap((pair) => {
      const key = context.stringValue(pair.childForFieldName('key'));
      const value = pair.childForFieldName('value');
      return pair.type === 'pair' && key !== undefined && value ? [[key, value] as [string, SyntaxNode]] : [];
    });
  }
  if (options.type === 'call' && context.calleeName(options) === 'dict') {
    return (options.childForFieldName('arguments')?.namedChildren ?? []).flatMap((arg) => {
      const name = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value');
      return arg.type === 'keyword_argument' && name && value ? [[name, value] as [string, SyntaxNode]] : [];
    });
  }
  if (options.type === 'identifier') {
    const bindings = context.bindingsOf(options);
    if (bindings.length === 1 && bindings[0].kind === 'assign' && bindings[0].value)
      return optionEntries(bindings[0].value, context);
  }
  return [];
}

function isFalse(node: SyntaxNode | undefined, context: RuleContext<string>): boolean {
  const value = context.literalValue(node);
  return value === false || value === 0;
}

export default createRule({
  id: 'jwt-decode-without-verification',
  meta: {
    title: 'JWT decoded without checking its signature',
    category: 'authentication',
    cwe: [347, 287],
    severity: 'high',
    confidence: 'high',
    equivalents: {
      semgrep: [
        'python.jwt.security.unverified-jwt-decode.unverified-jwt-decode',
        'python.jwt.security.jwt-none-alg.jwt-python-none-alg',
      ],
    },
    messages: {
      signatureOptionDisabled:
        '`{{fn}}` is told not to verify the signature (`{{option}}`); anyone can forge these claims',
      legacyVerifyFalse:
        '`{{fn}}` is called with `verify=False`; the signature is not checked and anyone can forge these claims',
      noneAlgorithm: '`{{fn}}` accepts the `none` algorithm, so an unsigned token passes as valid',
      unverifiedClaims:
        '`{{fn}}` returns claims without checking the signature; use them only to pick a key, never to authorise',
    },
    docs: {
      why: 'A JSON Web Token is only as trustworthy as its signature. Decoding without verifying it (or accepting the `none` algorithm) means any client can write its own token with any user id, role or expiry and the application will believe it: a full authentication bypass.',
      example:
        'import jwt\n\ndef current_user(token):\n    claims = jwt.decode(token, options={"verify_signature": False})\n    return claims["sub"]',
      fix: 'Always pass the key and an explicit list of the algorithms you issue, and leave signature verification on.\n\n```python\nimport jwt\n\ndef current_user(token):\n    claims = jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"], audience="my-api")\n    return claims["sub"]\n```',
      knownProblems:
        'Reading an unverified header or claims to choose a verification key (for example by `kid` or issuer) is legitimate; such code is reported for `get_unverified_claims` and should be suppressed with a comment saying the claims are verified afterwards. Options held in a variable are followed only when it is assigned once in the same scope.',
      references: [
        'https://pyjwt.readthedocs.io/en/stable/usage.html#reading-the-claimset-without-validation',
        'https://python-jose.readthedocs.io/en/latest/jwt/api.html',
        'https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html',
        'https://cwe.mitre.org/data/definitions/347.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      if (!context.isModuleImported('jwt') && !context.isModuleImported('jose')) return;
      const fn = context.calleeName(node);
      if (!fn) return;
      if (UNVERIFIED_READERS.has(fn)) {
        context.report({ node, messageId: 'unverifiedClaims', data: { fn }, severity: 'medium', confidence: 'medium' });
        return;
      }
      if (!DECODERS.has(fn)) return;
      const options = context.keywordArgument(node, 'options');
      const disabled =
        options &&
        optionEntries(options, context).find(([key, value]) => key === SIGNATURE_OPTION && isFalse(value, context));
      if (disabled) {
        context.report({ node, messageId: 'signatureOptionDisabled', data: { fn, option: `${disabled[0]}=False` } });
        return;
      }
      if (isFalse(context.keywordArgument(node, 'verify'), context)) {
        context.report({ node, messageId: 'legacyVerifyFalse', data: { fn } });
        return;
      }
      const algorithms = context.literalValue(context.keywordArgument(node, 'algorithms'));
      const list = Array.isArray(algorithms) ? algorithms : [algorithms];
      if (list.some((a) => typeof a === 'string' && a.toLowerCase() === 'none'))
        context.report({ node, messageId: 'noneAlgorithm', data: { fn } });
    },
  },
  tests: {
    valid: [
      'import jwt\nclaims = jwt.decode(token, key, algorithms=["HS256"])',
      'import jwt\nclaims = jwt.decode(token, key, algorithms=["RS256"], options={"verify_exp": False})',
      'from jose import jwt\nheader = jwt.get_unverified_header(token)',
      'def decode(token, options):\n    return token\ndecode(t, options={"verify_signature": False})',
      'import jwt\nclaims = jwt.decode(token, key, algorithms=["HS256"], options={"verify_signature": True})',
    ],
    invalid: [
      {
        code: 'import jwt\nclaims = jwt.decode(token, options={"verify_signature": False})',
        errors: [{ messageId: 'signatureOptionDisabled', line: 2, message: '`jwt.decode`' }],
      },
      {
        code: 'from jwt import decode as jwt_decode\nopts = dict(verify_signature=False)\nclaims = jwt_decode(token, key, options=opts)',
        errors: [{ messageId: 'signatureOptionDisabled', line: 3 }],
      },
      {
        code: 'from jose import jwt\nclaims = jwt.decode(token, key, options={"verify_signature": False})',
        errors: [{ messageId: 'signatureOptionDisabled', message: '`jose.jwt.decode`' }],
      },
      { code: 'import jwt\npayload = jwt.decode(token, verify=False)', errors: [{ messageId: 'legacyVerifyFalse' }] },
      {
        code: 'import jwt\npayload = jwt.decode(token, key, algorithms=["HS256", "none"])',
        errors: [{ messageId: 'noneAlgorithm' }],
      },
      {
        code: 'from jose import jwt as jose_jwt\nclaims = jose_jwt.get_unverified_claims(token)',
        errors: [{ messageId: 'unverifiedClaims', severity: 'medium' }],
      },
    ],
  },
});
