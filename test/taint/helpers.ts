import { FileAnalysis } from '../../src/engine/context.js';
import { parsePython } from '../../src/engine/parser.js';
import type { Origin, SinkFamily } from '../../src/engine/taint/origin.js';

/**
 * The origin of the expression marked `# <- sink` in `code` (the first argument of the
 * call on that line, or the right-hand side of an assignment there).
 */
export function originAtMarker(code: string, family: SinkFamily): Origin {
  const analysis = new FileAnalysis('example.py', code, parsePython(code, 5000));
  const row = code.split('\n').findIndex((line) => line.includes('# <- sink'));
  if (row < 0) throw new Error('no `# <- sink` marker');
  const candidates = analysis.tree.rootNode.descendantsOfType(['call', 'assignment']).filter((n) => n.startPosition.row === row);
  const outermost = candidates.sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex)[0];
  if (!outermost) throw new Error(`no call or assignment on line ${row + 1}`);
  const target = outermost.type === 'assignment' ? outermost.childForFieldName('right') : outermost.childForFieldName('arguments')?.namedChildren[0];
  if (!target) throw new Error(`nothing to query on line ${row + 1}`);
  return analysis.origin(target, family);
}
