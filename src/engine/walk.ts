import type Parser from 'tree-sitter';

export interface TreeWalkVisitor {
  /** Called for every node, parents before children; the cursor sits on the node. Returning false ends the walk. */
  enter(cursor: Parser.TreeCursor): boolean | void;
  /** Called when the walk leaves a node, children before parents. */
  exit?(cursor: Parser.TreeCursor): void;
}

/**
 * One depth-first walk over every node with a TreeCursor: no node objects are created unless
 * the visitor asks the cursor for one, which is what keeps a walk cheap in the node binding.
 */
export function walkTree(root: Parser.Tree | Parser.SyntaxNode, visitor: TreeWalkVisitor): void {
  const cursor = root.walk();
  let descending = true;
  for (;;) {
    if (descending) {
      if (visitor.enter(cursor) === false) return;
      if (cursor.gotoFirstChild()) continue;
    }
    visitor.exit?.(cursor);
    if (cursor.gotoNextSibling()) {
      descending = true;
      continue;
    }
    if (!cursor.gotoParent()) break;
    descending = false;
  }
}
