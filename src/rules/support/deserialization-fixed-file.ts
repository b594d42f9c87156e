import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';

/** Functions that open a file by path and return a file object. */
const FILE_OPENERS = new Set(['open', 'io.open', 'gzip.open', 'bz2.open', 'lzma.open', 'codecs.open']);

/** `open("model.pkl")`, `gzip.open(PATH)`, `Path("x").open()` with a literal path. */
function opensFixedPath(call: SyntaxNode, context: RuleContext<string>): boolean {
  const callee = call.childForFieldName('function');
  if (FILE_OPENERS.has(context.calleeName(call) ?? ''))
    return context.isConstant(context.argument(call, 0, 'file') ?? context.argument(call, 0, 'filename'));
  if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'open') return false;
  const receiver = callee.childForFieldName('object');
  return (
    receiver?.type === 'call' &&
    /^pathlib\.(Pure)?(Posix|Windows)?Path$/.test(context.calleeName(receiver) ?? '') &&
    context.isConstant(context.argument(receiver, 0))
  );
}

/**
 * True when `input` — what a loader reads — is a path written in the code or a file opened from
 * one (`pickle.load(open("cache.pkl", "rb"))`, `with open(MODEL) as f: torch.load(f)`). Such
 * files are usually the application's own, so a finding on them deserves less confidence.
 */
export function readsFixedFile(input: SyntaxNode, context: RuleContext<string>): boolean {
  if (context.isConstant(input)) return true;
  if (input.type === 'call') return opensFixedPath(input, context);
  if (input.type !== 'identifier') return false;
  const bindings = context.bindingsOf(input);
  return (
    bindings.length > 0 &&
    bindings.every(
      (b) =>
        (b.kind === 'assign' || b.kind === 'unpack') && b.value?.type === 'call' && opensFixedPath(b.value, context),
    )
  );
}
