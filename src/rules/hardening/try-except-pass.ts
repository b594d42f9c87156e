import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';

/** Exception classes broad enough to hide real failures (Bandit's and Ruff's default). */
const BROAD = new Set(['Exception', 'BaseException']);

/** What an `except` clause names (`ValueError`, `(A, B) as e`), undefined for a bare `except:`. */
function caughtExpression(clause: SyntaxNode): SyntaxNode | undefined {
  return clause.namedChildren.find((c) => c.type !== 'block' && c.type !== 'comment');
}

/** True for a bare `except:` or one catching `Exception` / `BaseException` (alone or in a tuple). */
function isBroad(caught: SyntaxNode | undefined): boolean {
  if (!caught) return true;
  const type = caught.type === 'as_pattern' ? caught.namedChildren[0] : caught;
  if (!type) return false;
  const names = type.type === 'tuple' || type.type === 'parenthesized_expression' ? type.namedChildren : [type];
  return names.some((n) => BROAD.has(n.text) || n.text === 'builtins.Exception');
}

/** The only statement of the handler, when it is `pass`, `...` or `continue`. */
function soleStatement(clause: SyntaxNode): 'pass' | 'continue' | undefined {
  const block = clause.namedChildren.find((c) => c.type === 'block');
  const statements = block?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  if (statements.length !== 1) return undefined;
  const only = statements[0];
  if (only.type === 'pass_statement' || (only.type === 'expression_statement' && only.text === '...')) return 'pass';
  return only.type === 'continue_statement' ? 'continue' : undefined;
}

export default createRule({
  id: 'try-except-pass',
  meta: {
    title: 'Exception silently ignored',
    category: 'hardening',
    cwe: [703, 390],
    severity: 'low',
    confidence: 'medium',
    equivalents: { bandit: ['B110', 'B112'], ruff: ['S110', 'S112'] },
    messages: {
      pass: '`except{{caught}}: pass` hides every error raised in the `try` block, including failed security checks',
      continue:
        '`except{{caught}}: continue` skips the item on any error without a trace, including failed security checks',
    },
    docs: {
      why: 'A broad handler that does nothing turns every failure, from a typo to a failed signature check or a denied permission, into silent success. Security controls that raise on failure are bypassed, and incidents leave no trace to investigate.',
      example: 'def load_user(token):\n    try:\n        return verify(token)\n    except Exception:\n        pass',
      fix: 'Catch the specific exceptions you expect, and log or handle anything else; use `contextlib.suppress` to show that ignoring one exception is deliberate.\n\n```python\nimport logging\n\ndef load_user(token):\n    try:\n        return verify(token)\n    except InvalidToken:\n        logging.info("rejected token")\n        return None\n```',
      knownProblems:
        'Reported at low severity, and only for bare `except:` and handlers catching `Exception` or `BaseException` whose whole body is `pass`, `...` or `continue`, as Bandit and Ruff do by default. Narrow handlers (`except KeyError: pass`) are treated as deliberate.',
      references: [
        'https://cwe.mitre.org/data/definitions/703.html',
        'https://docs.python.org/3/library/contextlib.html#contextlib.suppress',
        'https://docs.astral.sh/ruff/rules/try-except-pass/',
      ],
    },
  },
  visitors: {
    except_clause(node, context) {
      const statement = soleStatement(node);
      const caught = caughtExpression(node);
      if (!statement || !isBroad(caught)) return;
      context.report({ node, messageId: statement, data: { caught: caught ? ` ${caught.text}` : '' } });
    },
  },
  tests: {
    valid: [
      'try:\n    import ujson as json\nexcept ImportError:\n    pass',
      'try:\n    verify(token)\nexcept Exception:\n    log.exception("bad token")\n    raise',
      'for item in items:\n    try:\n        handle(item)\n    except ValueError:\n        continue',
      'import contextlib\nwith contextlib.suppress(FileNotFoundError):\n    os.remove(path)',
    ],
    invalid: [
      {
        code: 'try:\n    verify(token)\nexcept Exception:\n    pass',
        errors: [{ messageId: 'pass', line: 3, message: '`except Exception: pass`' }],
      },
      { code: 'try:\n    verify(token)\nexcept:\n    ...', errors: [{ messageId: 'pass', line: 3 }] },
      {
        code: 'for item in items:\n    try:\n        handle(item)\n    except (ValueError, Exception) as error:\n        # keep going\n        continue',
        errors: [{ messageId: 'continue', line: 4 }],
      },
      { code: 'try:\n    check()\nexcept BaseException:\n    pass', errors: [{ messageId: 'pass', severity: 'low' }] },
    ],
  },
});
