import type Parser from 'tree-sitter';

export interface TreeWalkVisitor {
  /** Called for every node, parents before children; the cursor sits on the node. */
  enter(cursor: Parser.TreeCursor): void;
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
      visitor.enter(cursor);
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
