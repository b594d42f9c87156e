import type { NodeSlots, SyntaxTree } from './syntax-tree.js';
import type { SyntaxNode } from './types.js';

interface MethodCall {
  receiver: SyntaxNode | undefined;
  method: string | undefined;
}

// Dozens of rules ask the same call for its method name; the answer is kept per node, in an
// slot per node of the tree (a WeakMap keyed by node taxes every collection).
const methodCallsByTree = new WeakMap<SyntaxTree, NodeSlots<MethodCall>>();

/** Shared by every call that is not a method call: most calls in a file are plain. */
const PLAIN_CALL: MethodCall = Object.freeze({ receiver: undefined, method: undefined });

function methodCall(call: SyntaxNode): MethodCall {
  let byIndex = methodCallsByTree.get(call.tree);
  if (!byIndex) {
    byIndex = call.tree.slotPerNode();
    methodCallsByTree.set(call.tree, byIndex);
  }
  let parts = byIndex.get(call.id);
  if (!parts) {
    const fn = call.childForFieldName('function');
    parts =
      fn?.type === 'attribute'
        ? { receiver: fn.childForFieldName('object') ?? undefined, method: fn.childForFieldName('attribute')?.text }
        : PLAIN_CALL;
    byIndex.set(call.id, parts);
  }
  return parts;
}

/** The method name of `obj.method(...)`; undefined for a plain function call. */
export function methodName(call: SyntaxNode): string | undefined {
  return methodCall(call).method;
}

/** The last name of a call's callee: `f` in `f(...)`, `method` in `a.b.method(...)`; undefined for any other callee. */
export function calleeLastName(call: SyntaxNode): string | undefined {
  const method = methodName(call);
  if (method !== undefined) return method;
  const fn = call.childForFieldName('function');
  return fn?.type === 'identifier' ? fn.text : undefined;
}

/** `obj` in `obj.method(...)`: the receiver of a method call. */
export function receiverOf(call: SyntaxNode): SyntaxNode | undefined {
  return methodCall(call).receiver;
}
