import type { RuleContext } from '../../engine/context.js';
import type { Fix, SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { isInstanceOf } from '../support/tainted-sink.js';
import { destinationNames, enclosingFunctionName, isSecretPurposeName, isTestPath } from '../support/secrets-names.js';

/** Functions of the `random` module's shared Mersenne Twister, which is predictable from its output. */
const PREDICTABLE = new Set([
  'random',
  'randint',
  'choice',
  'choices',
  'getrandbits',
  'randrange',
  'sample',
  'shuffle',
  'uniform',
  'randbytes',
]);
/** `random.X` → the `secrets` call that behaves the same for the arguments checked in `secretsReplacement`. */
const SECRETS_EQUIVALENT: Record<string, string> = {
  choice: 'choice',
  getrandbits: 'randbits',
  randrange: 'randbelow',
};

/** Seeded generators with the same predictable methods (`random.SystemRandom` is not one of them). */
const PREDICTABLE_GENERATORS = new Set(['random.Random']);

/**
 * The `random` function a call ends up in: `random.choice(…)` directly, a method of a
 * `random.Random()` instance (`rng.randint(…)`), or a name bound to one (`pick = random.choice`).
 */
function predictableFunction(call: SyntaxNode, context: RuleContext<'predictable'>): string | undefined {
  const qualified = context.calleeName(call);
  if (qualified?.startsWith('random.')) return qualified.slice('random.'.length);
  const callee = call.childForFieldName('function');
  if (callee?.type === 'attribute') {
    const receiver = callee.childForFieldName('object')!;
    const generator =
      receiver.type === 'call'
        ? PREDICTABLE_GENERATORS.has(context.calleeName(receiver) ?? '')
        : isInstanceOf(context, receiver, PREDICTABLE_GENERATORS);
    return generator ? callee.childForFieldName('attribute')?.text : undefined;
  }
  if (callee?.type !== 'identifier') return undefined;
  const bindings = context.bindingsOf(callee);
  const alias = bindings.length === 1 && bindings[0].kind === 'assign' ? bindings[0].value : undefined;
  const aliased = alias ? context.qualifiedName(alias) : undefined;
  return aliased?.startsWith('random.') ? aliased.slice('random.'.length) : undefined;
}

/** True when `secrets` in this scope is the standard module, imported with `import secrets`. */
function secretsIsImported(node: SyntaxNode, context: RuleContext<'predictable'>): boolean {
  if (!context.isModuleImported('secrets')) return false;
  const bindings = context.scopes.resolve('secrets', node)?.bindings ?? [];
  return (
    bindings.length > 0 &&
    bindings.every(
      (b) => b.kind === 'import' && b.statement.type === 'import_statement' && !b.statement.text.includes(' as '),
    )
  );
}

/**
 * A fix to the equivalent `secrets` call, offered only when it is a true drop-in: the callee is
 * spelled `random.X`, `secrets` is already imported, and the arguments mean the same
 * (`randrange` with only a stop becomes `randbelow`).
 */
function secretsReplacement(call: SyntaxNode, fn: string, context: RuleContext<'predictable'>): Fix | undefined {
  const callee = call.childForFieldName('function');
  const replacement = SECRETS_EQUIVALENT[fn];
  if (!replacement || callee?.type !== 'attribute' || callee.childForFieldName('object')?.text !== 'random')
    return undefined;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
  if (
    args.length !== 1 ||
    args[0].type === 'keyword_argument' ||
    args[0].type === 'list_splat' ||
    args[0].type === 'dictionary_splat'
  )
    return undefined;
  if (!secretsIsImported(call, context)) return undefined;
  return {
    description: `Use \`secrets.${replacement}\``,
    edits: [context.replaceNode(callee, `secrets.${replacement}`)],
  };
}

export default createRule({
  id: 'weak-random-for-secrets',
  meta: {
    title: 'Predictable random numbers used for a secret',
    category: 'randomness',
    cwe: [330, 338],
    severity: 'high',
    confidence: 'medium',
    equivalents: { bandit: ['B311'], ruff: ['S311'] },
    messages: {
      predictable:
        '`random.{{fn}}` is predictable, but its result becomes `{{purpose}}`; use the `secrets` module for tokens, passwords, keys and codes',
    },
    docs: {
      why: 'The `random` module uses the Mersenne Twister, which is fast and statistically good but not secret: after observing 624 outputs (or fewer, with some structure) an attacker can compute every past and future value. Tokens, passwords, reset codes, salts and keys drawn from it can be predicted.',
      example:
        'import random\nimport string\n\ndef make_reset_token():\n    return "".join(random.choice(string.ascii_letters) for _ in range(32))',
      fix: "Use the `secrets` module (or `os.urandom`), which draws from the operating system's cryptographic generator: `secrets.token_urlsafe()`, `secrets.token_hex()`, `secrets.choice()`, `secrets.randbelow()`.\n\n```python\nimport secrets\n\ndef make_reset_token():\n    return secrets.token_urlsafe(32)\n```",
      knownProblems:
        'Narrower than Bandit B311 / Ruff S311, which report every use of `random`: a call is reported only when its result is headed for something secret by name, that is the variable or attribute it is assigned to, the keyword it is passed as, the dictionary key it is stored under or the function that returns or contains it mentions a token, password, key, nonce, one-time code, salt, PIN, session id or reset/verification code. Random numbers for simulations, sampling, jitter or games are not reported, and neither is anything in test files. Methods of a `random.Random()` instance (`rng = random.Random(); rng.randint(…)`) and names bound to a `random` function (`pick = random.choice`) count as the function itself. `random.SystemRandom` is safe and never reported. A fix is offered only where `secrets` is a drop-in replacement and already imported with `import secrets`: `random.choice(seq)` → `secrets.choice(seq)`, `random.randrange(n)` → `secrets.randbelow(n)`, `random.getrandbits(k)` → `secrets.randbits(k)`.',
      references: [
        'https://docs.python.org/3/library/random.html',
        'https://docs.python.org/3/library/secrets.html',
        'https://peps.python.org/pep-0506/',
        'https://cwe.mitre.org/data/definitions/338.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      if (!context.isModuleImported('random')) return;
      const fn = predictableFunction(node, context);
      if (!fn || !PREDICTABLE.has(fn) || isTestPath(context.path)) return;
      const functionName = enclosingFunctionName(node);
      const purpose =
        destinationNames(node).find(isSecretPurposeName) ??
        (functionName && isSecretPurposeName(functionName) ? `${functionName}()` : undefined);
      if (!purpose) return;
      const fix = secretsReplacement(node, fn, context);
      context.report({ node, messageId: 'predictable', data: { fn, purpose }, ...(fix ? { fix } : {}) });
    },
  },
  tests: {
    valid: [
      'import random\ndelay = random.uniform(0.5, 1.5)',
      'import random\nsample = random.sample(population, 10)\nrandom.shuffle(deck)',
      'import secrets\ntoken = secrets.token_urlsafe(32)',
      'import random\ntoken = random.SystemRandom().choice(alphabet)',
      { code: 'import random\napi_key = "".join(random.choices(chars, k=20))', filename: 'tests/test_keys.py' },
      'import random\ndef pick_color():\n    return random.choice(COLORS)',
      'import random\nrng = random.Random(42)\nsample = rng.sample(population, 10)',
      'import random\nsysrand = random.SystemRandom()\npin = sysrand.randint(0, 9999)',
    ],
    invalid: [
      {
        code: 'import random\nimport secrets\notp = random.choice(DIGITS)',
        errors: [{ messageId: 'predictable', line: 3, message: '`otp`' }],
        output: 'import random\nimport secrets\notp = secrets.choice(DIGITS)',
      },
      {
        code: 'import random\nimport string\ntoken = "".join(random.choice(string.ascii_letters) for _ in range(32))',
        errors: [{ messageId: 'predictable', message: '`random.choice`' }],
      },
      {
        code: 'from random import randint\ndef generate_reset_code():\n    return str(randint(100000, 999999))',
        errors: [{ messageId: 'predictable', message: '`generate_reset_code`' }],
      },
      {
        code: 'import random, secrets\nuser.session_id = random.getrandbits(128)\nsalt = random.randrange(2 ** 32)',
        errors: [
          { messageId: 'predictable', line: 2 },
          { messageId: 'predictable', line: 3 },
        ],
        output: 'import random, secrets\nuser.session_id = secrets.randbits(128)\nsalt = secrets.randbelow(2 ** 32)',
      },
      {
        code: 'import random\nsend_sms(phone, verification_code=random.randint(1000, 9999))',
        errors: [{ messageId: 'predictable', message: '`verification_code`' }],
      },
      {
        code: 'import random\nrng = random.Random()\ndef make_otp():\n    return "".join(str(rng.randint(0, 9)) for _ in range(6))',
        errors: [{ messageId: 'predictable', line: 4, message: '`make_otp`' }],
      },
      {
        code: 'import random\npick = random.choice\npin = "".join(pick("0123456789") for _ in range(4))',
        errors: [{ messageId: 'predictable', line: 3, message: '`random.choice`' }],
      },
      {
        code: 'import random\nreset_code = random.Random(time.time()).randint(100000, 999999)',
        errors: [{ messageId: 'predictable', message: '`reset_code`' }],
      },
      {
        code: 'import random\nimport secrets as s\npassword = random.choice(WORDS)',
        errors: [{ messageId: 'predictable', message: '`password`' }],
      },
    ],
  },
});
