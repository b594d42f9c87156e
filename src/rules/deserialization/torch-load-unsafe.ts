import type { RuleContext } from '../../engine/context.js';
import type { Confidence, Fix, Severity, SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { readsFixedFile } from '../support/deserialization-fixed-file.js';

/** Appends `weights_only=True` to the call's arguments. */
function weightsOnlyFix(call: SyntaxNode, context: RuleContext<string>): Fix | undefined {
  const args = call.childForFieldName('arguments');
  const closing = args?.lastChild;
  if (args?.type !== 'argument_list' || closing?.type !== ')') return undefined;
  const previous = closing.previousSibling;
  // Nothing to load (`torch.load()`), or a comment where the keyword would go.
  if (!previous || previous.type === 'comment' || previous.type === '(') return undefined;
  const description = 'Load tensors only';
  if (previous.type === ',' && closing.startPosition.row > previous.endPosition.row) {
    // One argument per line with the parenthesis on its own line: add a line in the same style.
    const closingIndent = context.lineText(closing.startPosition.row + 1).slice(0, closing.startPosition.column);
    const argumentIndent = /^\s*/.exec(context.lineText(previous.startPosition.row + 1))![0];
    const lineStart = closing.startIndex - closing.startPosition.column;
    return {
      description,
      edits: [
        context.replaceRange(lineStart, closing.startIndex, `${argumentIndent}weights_only=True,\n${closingIndent}`),
      ],
    };
  }
  const separator = previous.type === ',' ? ' ' : ', ';
  return {
    description,
    edits: [context.replaceRange(closing.startIndex, closing.startIndex, `${separator}weights_only=True`)],
  };
}

export default createRule({
  id: 'torch-load-unsafe',
  meta: {
    title: 'PyTorch checkpoint loaded with full unpickling',
    category: 'deserialization',
    cwe: [502],
    severity: 'medium',
    confidence: 'medium',
    equivalents: { bandit: ['B614'] },
    messages: {
      weightsOnlyFalse:
        '`{{fn}}` with `weights_only=False` unpickles the checkpoint: a crafted model file runs arbitrary code; load with `weights_only=True` or use safetensors',
      noWeightsOnly:
        '`{{fn}}` without `weights_only=True` unpickles the checkpoint on PyTorch before 2.6, so a crafted model file runs arbitrary code',
    },
    docs: {
      why: '`torch.load` is pickle: a `.pt`/`.pth`/`.bin` file can name any callable to run while it loads. Model files are routinely downloaded from hubs, shared between teams and uploaded by users, and malicious checkpoints have been found in the wild. `weights_only=True` restricts unpickling to tensors, primitive types and allow-listed classes; it became the default only in PyTorch 2.6.',
      example: 'import torch\n\ndef load_model(path):\n    return torch.load(path, map_location="cpu")',
      fix: 'Pass `weights_only=True` (PyTorch 1.13 and later) and keep checkpoints to state dicts of tensors, or store weights in the safetensors format, which cannot contain code.\n\n```python\nimport torch\n\ndef load_model(path):\n    return torch.load(path, map_location="cpu", weights_only=True)\n```',
      knownProblems:
        'The fix adds `weights_only=True`, which is what PyTorch 2.6 does by default: checkpoints that pickle whole modules, optimizers with custom classes or other arbitrary objects then fail to load with an `UnpicklingError` (register trusted classes with `torch.serialization.add_safe_globals`); it is not offered when a custom `pickle_module` is passed. On PyTorch 2.6 and later a call without `weights_only` is already safe, so that form is reported at medium confidence, and at low confidence when the path is written in the code. An explicit `weights_only=False` is reported but never rewritten: it is usually deliberate.',
      references: [
        'https://pytorch.org/docs/stable/generated/torch.load.html',
        'https://pytorch.org/docs/stable/notes/serialization.html#weights-only',
        'https://huggingface.co/docs/hub/security-pickle',
        'https://cwe.mitre.org/data/definitions/502.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = context.calleeName(node);
      if (fn !== 'torch.load') return;
      const weightsOnly = context.keywordArgument(node, 'weights_only');
      const explicit = weightsOnly ? context.literalValue(weightsOnly) : undefined;
      // `weights_only=True` is the safe form; a non-literal flag cannot be judged.
      if (weightsOnly && explicit !== false) return;
      if (!weightsOnly && context.hasUnpackedArguments(node)) return;
      const input = context.argument(node, 0, 'f');
      const origin = input ? context.origin(input, 'deserialization') : undefined;
      if (origin?.kind === 'sanitized') return;
      const fromSource = origin?.kind === 'source';
      const fixedFile = !fromSource && input !== undefined && readsFixedFile(input, context);
      // Request data and uploads are high-confidence sources; file contents or the environment are not.
      const strongSource = fromSource && origin.confidence === 'high';
      const severity: Severity = strongSource || explicit === false ? 'high' : 'medium';
      const confidence: Confidence = fromSource
        ? origin.confidence
        : fixedFile
          ? 'low'
          : explicit === false
            ? 'high'
            : 'medium';
      const trace = fromSource ? { trace: origin.trace } : {};
      if (explicit === false) {
        context.report({ node, messageId: 'weightsOnlyFalse', data: { fn }, severity, confidence, ...trace });
        return;
      }
      const fix = context.keywordArgument(node, 'pickle_module') ? undefined : weightsOnlyFix(node, context);
      context.report({
        node,
        messageId: 'noWeightsOnly',
        data: { fn },
        severity,
        confidence,
        ...trace,
        ...(fix ? { fix } : {}),
      });
    },
  },
  tests: {
    valid: [
      'import torch\ntorch.load(path, weights_only=True)',
      'import torch\ntorch.load(path, map_location="cpu", weights_only=True)',
      'import torch\ntorch.load(path, weights_only=trusted)',
      'import torch\ntorch.load(path, **load_options)',
      'import torch\ntorch.save(model.state_dict(), path)',
      'def load(path):\n    return path\nload(path)',
    ],
    invalid: [
      {
        code: 'import torch\nfrom flask import request\ndef upload():\n    return torch.load(request.files["model"], weights_only=False)',
        errors: [{ messageId: 'weightsOnlyFalse', line: 4, severity: 'high', confidence: 'high' }],
      },
      {
        code: 'import torch\nstate = torch.load(path, map_location="cpu")',
        errors: [{ messageId: 'noWeightsOnly', line: 2, severity: 'medium', confidence: 'medium' }],
        output: 'import torch\nstate = torch.load(path, map_location="cpu", weights_only=True)',
      },
      {
        code: 'from torch import load\nmodel = load(checkpoint, weights_only=False)',
        errors: [{ messageId: 'weightsOnlyFalse', severity: 'high', confidence: 'high', message: '`torch.load`' }],
      },
      {
        code: 'import torch\nstate = torch.load("weights.pt")',
        errors: [{ messageId: 'noWeightsOnly', confidence: 'low' }],
        output: 'import torch\nstate = torch.load("weights.pt", weights_only=True)',
      },
      {
        code: 'import torch\nstate = torch.load(\n    path,\n)',
        errors: [{ messageId: 'noWeightsOnly' }],
        output: 'import torch\nstate = torch.load(\n    path,\n    weights_only=True,\n)',
      },
      { code: 'import torch, dill\ntorch.load(path, pickle_module=dill)', errors: [{ messageId: 'noWeightsOnly' }] },
    ],
  },
});
