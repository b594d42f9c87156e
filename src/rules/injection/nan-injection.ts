import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { reportTracedFlow, tracedSource } from '../support/tainted-sink.js';

/** Checks that rule NaN out: after one of them on the name, the value is known to be a number. */
const NAN_CHECKS = new Set([
  'math.isnan',
  'math.isfinite',
  'math.isinf',
  'cmath.isnan',
  'cmath.isfinite',
  'numpy.isnan',
  'numpy.isfinite',
]);

/** Casts that raise on NaN (`int(float("nan"))` is a ValueError), so a NaN never gets past them. */
const RAISES_ON_NAN = new Set(['int', 'round', 'math.floor', 'math.ceil', 'math.trunc']);

/** Comparison operators that NaN makes false (`!=` makes it true). */
const ORDERINGS = new Set(['<', '>', '<=', '>=', '==', '!=']);

function isOrdering(comparison: SyntaxNode): boolean {
  return comparison.childrenForFieldName('operators').some((op) => ORDERINGS.has(op.type));
}

/** The comparison the value takes part in, directly or through arithmetic (`balance - amount < 0`). */
function comparisonAround(node: SyntaxNode): SyntaxNode | undefined {
  let current = node;
  while (
    current.parent &&
    ['binary_operator', 'parenthesized_expression', 'unary_operator'].includes(current.parent.type)
  )
    current = current.parent;
  return current.parent?.type === 'comparison_operator' && isOrdering(current.parent) ? current.parent : undefined;
}

/** The function (or module) body that `node` belongs to. */
function enclosingBody(node: SyntaxNode): SyntaxNode {
  for (let current = node.parent; current; current = current.parent)
    if (current.type === 'function_definition' || current.type === 'module') return current;
  return node;
}

/** `x = float(…)`: the name the converted value is stored in. */
function assignedName(call: SyntaxNode): SyntaxNode | undefined {
  let value = call;
  while (value.parent?.type === 'parenthesized_expression') value = value.parent;
  const assignment = value.parent;
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== value.id) return undefined;
  const left = assignment.childForFieldName('left');
  return left?.type === 'identifier' ? left : undefined;
}

/**
 * The first comparison after the conversion that reads the converted value, unless the
 * function rules NaN out with `math.isnan`/`math.isfinite` or passes it through a cast that
 * raises on NaN.
 */
function unguardedComparison(context: RuleContext, call: SyntaxNode): SyntaxNode | undefined {
  const direct = comparisonAround(call);
  if (direct) return direct;
  const name = assignedName(call);
  if (!name) return undefined;
  const body = enclosingBody(call);
  let comparison: SyntaxNode | undefined;
  for (const read of body.descendantsOfType('identifier')) {
    if (read.text !== name.text || read.startIndex <= call.endIndex) continue;
    const parent = read.parent;
    if (parent?.type === 'argument_list' && parent.parent?.type === 'call') {
      const callee = context.calleeName(parent.parent) ?? '';
      if (NAN_CHECKS.has(callee) || RAISES_ON_NAN.has(callee)) return undefined;
    }
    // `amount != amount` is the other way to spell isnan.
    if (parent?.type === 'comparison_operator' && parent.namedChildren.every((c) => c.text === name.text))
      return undefined;
    comparison ??= comparisonAround(read);
  }
  return comparison;
}

export default createRule({
  id: 'nan-injection',
  meta: {
    title: 'Float from untrusted input compared without a NaN check',
    category: 'injection',
    cwe: [704],
    severity: 'medium',
    confidence: 'high',
    equivalents: {},
    messages: {
      tainted:
        '`float()` turns {{source}} into a number that is compared without a NaN check: `"nan"` makes the comparison false',
    },
    docs: {
      why: '`float()` accepts `"nan"`, `"inf"` and `"-inf"` as well as digits. Every ordering comparison with NaN is false, so a guard such as `if amount > balance: reject()` lets a NaN amount through, and arithmetic with it then turns balances, prices or limits into NaN too. `"inf"` passes a check such as `if amount < 0: reject()` and then swamps every sum it enters.',
      example:
        'from flask import request\n\n@app.post("/withdraw")\ndef withdraw():\n    amount = float(request.form["amount"])\n    if amount > account.balance:\n        abort(400)\n    account.balance -= amount',
      fix: 'Reject values that are not finite right after the conversion, or parse money with `decimal.Decimal` and check `is_finite()`, or use `int` where only whole numbers make sense.\n\n```python\nimport math\nfrom flask import request\n\n@app.post("/withdraw")\ndef withdraw():\n    amount = float(request.form["amount"])\n    if not math.isfinite(amount) or amount <= 0 or amount > account.balance:\n        abort(400)\n    account.balance -= amount\n```',
      knownProblems:
        'Only conversions of data from a client (request data, route parameters, a Lambda event, and queued job payloads at low confidence) are reported, when the converted value, or a name it is assigned to in the same function, is then compared. A check done in another function (a form validator) is not seen. `Decimal("NaN")` is not covered.',
      references: [
        'https://docs.python.org/3/library/functions.html#float',
        'https://docs.python.org/3/library/math.html#math.isfinite',
        'https://cwe.mitre.org/data/definitions/704.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      if (context.calleeName(node) !== 'float') return;
      const value = context.argument(node, 0);
      if (!value || !unguardedComparison(context, node)) return;
      const flow = tracedSource(context, [value], 'number');
      if (!flow) return;
      reportTracedFlow(context, node, 'tainted', flow);
    },
  },
  tests: {
    valid: [
      'import math\nfrom flask import request\n\ndef withdraw():\n    amount = float(request.form["amount"])\n    if not math.isfinite(amount) or amount > BALANCE:\n        abort(400)',
      'from flask import request\n\ndef withdraw():\n    amount = float(request.form["amount"])\n    return {"amount": amount}',
      'from flask import request\n\ndef page():\n    count = int(float(request.args["n"]))\n    if count > 100:\n        abort(400)',
      'import sys\n\nlimit = float(sys.argv[1])\nif limit > 10:\n    print("large")',
      'def ratio(a, b):\n    r = float(a) / float(b)\n    return r > 0.5',
      'from django.http import JsonResponse\n\ndef set_price(request):\n    price = float(request.POST["price"])\n    if price != price:\n        return JsonResponse({"error": "nan"}, status=400)\n    if price < 0:\n        return JsonResponse({"error": "negative"}, status=400)',
    ],
    invalid: [
      {
        code: 'from flask import request\n\n@app.post("/withdraw")\ndef withdraw():\n    amount = float(request.form["amount"])\n    if amount > account.balance:\n        abort(400)\n    account.balance -= amount',
        errors: [{ messageId: 'tainted', line: 5, confidence: 'high', message: 'request.form (Flask)' }],
      },
      {
        code: 'from django.http import HttpResponseBadRequest\n\ndef transfer(request):\n    value = float(request.POST.get("value", "0"))\n    if account.balance - value < 0:\n        return HttpResponseBadRequest("insufficient funds")',
        errors: [{ messageId: 'tainted', line: 4, message: 'request.POST (Django)' }],
      },
      {
        code: 'from flask import request\n\ndef discount():\n    if float(request.args["pct"]) >= 50:\n        abort(403)',
        errors: [{ messageId: 'tainted', line: 4 }],
      },
      {
        code: 'from fastapi import FastAPI, HTTPException\napp = FastAPI()\n\n@app.get("/bid")\ndef bid(amount: str):\n    offer = float(amount)\n    if offer <= CURRENT_BID:\n        raise HTTPException(400)',
        errors: [{ messageId: 'tainted', line: 6, message: 'route parameter `amount`' }],
      },
      {
        code: 'import json\n\ndef lambda_handler(event, context):\n    body = json.loads(event["body"])\n    qty = float(body["quantity"])\n    if qty > MAX_QTY:\n        return {"statusCode": 400}',
        errors: [{ messageId: 'tainted', line: 5, message: 'AWS Lambda event' }],
      },
    ],
  },
});
