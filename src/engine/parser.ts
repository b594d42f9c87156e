import Parser from 'tree-sitter';
import Python from 'tree-sitter-python';

let sharedParser: Parser | undefined;

function parser(): Parser {
  if (!sharedParser) {
    sharedParser = new Parser();
    sharedParser.setLanguage(Python);
  }
  return sharedParser;
}

export class ParseTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`parsing took longer than ${timeoutMs} ms`);
  }
}

/**
 * Parses Python source, giving up after `timeoutMs` so that pathological input cannot hold
 * a scan hostage. Tree-sitter always returns a tree: syntax errors become ERROR nodes.
 */
export function parsePython(source: string, timeoutMs: number): Parser.Tree {
  const deadline = Date.now() + timeoutMs;
  // The node binding reads string input through a buffer; a larger buffer means fewer
  // round trips into JavaScript for big files.
  const tree = parser().parse(source, null, {
    bufferSize: Math.min(Math.max(source.length + 1, 32 * 1024), 4 * 1024 * 1024),
    progressCallback: () => Date.now() > deadline,
  });
  if (!tree) {
    // A cancelled parse is kept for resumption: without a reset, the next file's parse would
    // continue this one and return a tree of the wrong text.
    parser().reset();
    throw new ParseTimeoutError(timeoutMs);
  }
  return tree;
}
