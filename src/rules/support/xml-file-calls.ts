import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';

/** Per file (one rule context per file and rule), the qualified names of every function it calls. */
const calledByFile = new WeakMap<RuleContext<string>, Set<string>>();

/**
 * True when the file calls `qualified` anywhere, e.g. `defusedxml.defuse_stdlib()` or
 * `defusedxml.xmlrpc.monkey_patch()`, which protect every parser in the process. Computed
 * once per file, on first use, so files without XML code pay nothing.
 */
export function fileCalls(context: RuleContext<string>, anyNode: SyntaxNode, qualified: string): boolean {
  let called = calledByFile.get(context);
  if (!called) {
    called = new Set();
    for (const call of anyNode.tree.rootNode.descendantsOfType('call')) {
      const name = context.calleeName(call);
      if (name) called.add(name);
    }
    calledByFile.set(context, called);
  }
  return called.has(qualified);
}
