import { describe, expect, it } from '@jest/globals';
import type Parser from 'tree-sitter';
import Python from 'tree-sitter-python';
import { parsePython } from '../../src/engine/parser.js';
import { SyntaxNode, SyntaxTree } from '../../src/engine/syntax-tree.js';

/** Every field name the grammar has, so each node is asked for each of them. */
const FIELD_NAMES = [
  ...new Set(
    (Python as unknown as { nodeTypeInfo: { fields?: Record<string, unknown> }[] }).nodeTypeInfo.flatMap((info) =>
      Object.keys(info.fields ?? {}),
    ),
  ),
].sort();

type AnyNode = Parser.SyntaxNode | SyntaxNode;

const where = (node: AnyNode | null) => (node ? `${node.type}@${node.startIndex}-${node.endIndex}` : null);

/**
 * What the engine and rules read from a node, in a form both node models produce. Two quirks
 * of tree-sitter's own nodes are left out, where the model follows the TreeCursor instead:
 * `childForFieldName` also finds a field of a hidden rule under an aliased child (a
 * `match_statement`'s `alternative` is a `case_clause` inside its `block`) that
 * `childrenForFieldName` and the cursor do not report, and `nextSibling` skips a MISSING token
 * that `children` lists. So fields are compared through `childrenForFieldName`, and siblings
 * outside of error trees.
 */
function facts(node: AnyNode, siblings: boolean) {
  const fields = FIELD_NAMES.map((name) => [name, node.childrenForFieldName(name).map(where)] as const);
  if (node instanceof SyntaxNode)
    for (const [name, children] of fields) expect(where(node.childForFieldName(name))).toBe(children[0] ?? null);
  return {
    node: where(node),
    text: node.text,
    isNamed: node.isNamed,
    isMissing: node.isMissing,
    hasError: node.hasError,
    start: node.startPosition,
    end: node.endPosition,
    parent: where(node.parent),
    children: node.children.map(where),
    namedChildren: node.namedChildren.map(where),
    childCount: node.childCount,
    namedChildCount: node.namedChildCount,
    firstChild: where(node.firstChild),
    lastChild: where(node.lastChild),
    firstNamedChild: where(node.firstNamedChild),
    lastNamedChild: where(node.lastNamedChild),
    secondNamedChild: where(node.namedChild(1)),
    secondChild: where(node.child(1)),
    ...(siblings
      ? {
          nextSibling: where(node.nextSibling),
          previousSibling: where(node.previousSibling),
          nextNamedSibling: where(node.nextNamedSibling),
          previousNamedSibling: where(node.previousNamedSibling),
        }
      : {}),
    fields,
    calls: node.descendantsOfType(['call', 'string']).map(where),
  };
}

function nativeNodes(tree: Parser.Tree): Parser.SyntaxNode[] {
  const nodes: Parser.SyntaxNode[] = [];
  const cursor = tree.walk();
  for (let descending = true; ;) {
    if (descending) {
      nodes.push(cursor.currentNode);
      if (cursor.gotoFirstChild()) continue;
    }
    if (cursor.gotoNextSibling()) descending = true;
    else if (cursor.gotoParent()) descending = false;
    else return nodes;
  }
}

function modelNodes(tree: SyntaxTree): SyntaxNode[] {
  return Array.from({ length: tree.nodeCount }, (_, index) => tree.node(index));
}

const SOURCES: Record<string, string> = {
  'calls, fields and operators': [
    'import subprocess as sp, os.path',
    'from . import x as y',
    '@decorator(arg)',
    'def run(cmd: str, *args, shell=False, **kw) -> int:',
    '    """Doc."""',
    '    if not cmd or cmd.startswith("-"):',
    '        raise ValueError(f"bad {cmd!r:>10}")',
    '    elif cmd in ("a", "b"): pass',
    '    else:',
    '        result = sp.run([cmd, *args], shell=shell, **kw)  # nosec',
    '    x = y = lambda a, b=1: a + b',
    '    return [i for i in range(3) if i] + {k: v for k, v in kw.items()}',
    'class C(Base, metaclass=M):',
    '    with open(p) as f, lock:',
    '        data: dict[str, int] = {**a, "b": 2}',
    '    try:',
    '        del x[1:2, ::3]',
    '    except (A, B) as e:',
    '        print >> sys.stderr, e',
    '    finally:',
    '        (yield from gen()); await z; w := 3',
    'match cmd:',
    '    case [a, *rest] if a: pass',
    '    case {"k": v, **kw}: pass',
    '    case Point(x=0) | None: pass',
    '',
  ].join('\n'),
  'non-ASCII text, CRLF and lone CR line ends': 'name = "café 😀"; other = \'ü\'\r\nx = 1\ry = 2\n# ünïcode comment\n',
  'syntax errors and missing tokens': 'def broken(:\n    pass\nx = (1, 2\nprint "py2"\nif x\n    y = [1, 2\nz = 3 +\n',
  'empty file': '',
};

describe('SyntaxTree', () => {
  // First in this file, so the module has seen no tree yet: a string's content is first met
  // as a leaf, and then with an escape sequence inside, which the walk did not step into. The
  // names after it have their ranges read in passing, which the second walk must not inherit.
  it('reads a tree again when a type so far seen only as a leaf has children in it', () => {
    for (const source of ['x = "plain"\n', 'y = "tab\\there" + "\\x41" + name.attr(arg)\n']) {
      const tree = parsePython(source, 5000);
      const model = modelNodes(new SyntaxTree(tree, source));
      expect(model.map((node) => facts(node, true))).toEqual(nativeNodes(tree).map((node) => facts(node, true)));
    }
  });

  for (const [name, source] of Object.entries(SOURCES)) {
    it(`reads the same tree as tree-sitter's own nodes: ${name}`, () => {
      const tree = parsePython(source, 5000);
      const native = nativeNodes(tree);
      const siblings = !tree.rootNode.hasError;
      const model = modelNodes(new SyntaxTree(tree, source));
      expect(model.map((node) => facts(node, siblings))).toEqual(native.map((node) => facts(node, siblings)));
    });
  }

  it('hands out one object per node, so nodes compare with === and key maps', () => {
    const source = 'f(x)\n';
    const tree = new SyntaxTree(parsePython(source, 5000), source);
    const call = tree.rootNode.descendantsOfType('call')[0];
    expect(call.childForFieldName('function')!.parent).toBe(call);
    expect(call.parent!.parent).toBe(tree.rootNode);
    expect(new Set([call.id, call.parent!.id, tree.rootNode.id]).size).toBe(3);
  });

  it('reads deeply nested code beyond its initial stack size', () => {
    const source = `x = ${'('.repeat(600)}1${')'.repeat(600)}\n`;
    const tree = new SyntaxTree(parsePython(source, 5000), source);
    const deepest = tree.rootNode.descendantsOfType('integer')[0];
    let depth = 0;
    for (let node: SyntaxNode | null = deepest; node; node = node.parent) depth++;
    expect(depth).toBeGreaterThan(600);
    expect(deepest.text).toBe('1');
  });
});
