import { FileAnalysis } from '../../src/engine/context.js';
import { parsePython } from '../../src/engine/parser.js';
import type { Origin, SinkFamily } from '../../src/engine/taint/origin.js';
import type { SyntaxNode } from '../../src/engine/types.js';

const MARKER = /# <- sink(?: (arg|kw)=(\w+)| (recv))?/;

/** The 1-based line of the `# <- sink` marker. */
export function markerLine(code: string): number {
  const row = code.split('\n').findIndex((line) => MARKER.test(line));
  if (row < 0) throw new Error('no `# <- sink` marker');
  return row + 1;
}

/**
 * The value queried on the marked line: the right-hand side of an assignment there, or an
 * argument of the outermost call (the first one, `arg=N` / `kw=name`, or with `recv` its receiver).
 */
function markedValue(root: SyntaxNode, code: string): SyntaxNode {
  const row = markerLine(code) - 1;
  const [, how, which, receiver] = MARKER.exec(code.split('\n')[row])!;
  // `open(p).read()`: the call that has arguments (or, with `recv`, a receiver) is the sink.
  const candidates = root
    .descendantsOfType(['call', 'assignment'])
    .filter(
      (n) =>
        n.startPosition.row === row &&
        (n.type === 'assignment' || receiver || (n.childForFieldName('arguments')?.namedChildCount ?? 0) > 0),
    );
  const outermost = candidates.sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex)[0];
  if (!outermost) throw new Error(`no call or assignment on line ${row + 1}`);
  if (outermost.type === 'assignment') return outermost.childForFieldName('right')!;
  if (receiver) return outermost.childForFieldName('function')!.childForFieldName('object')!;
  const args = outermost.childForFieldName('arguments')!.namedChildren.filter((a) => a.type !== 'comment');
  if (how === 'kw')
    return args
      .find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === which)!
      .childForFieldName('value')!;
  const target = args.filter((a) => a.type !== 'keyword_argument')[how === 'arg' ? Number(which) : 0];
  if (!target) throw new Error(`no argument to query on line ${row + 1}`);
  return target;
}

/** The origin, for `family`, of the value marked `# <- sink` in `code`. */
export function originAtMarker(code: string, family: SinkFamily): Origin {
  const analysis = new FileAnalysis('example.py', code, parsePython(code, 5000));
  return analysis.origin(markedValue(analysis.tree.rootNode, code), family);
}
