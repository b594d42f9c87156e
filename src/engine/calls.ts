import type { SyntaxNode } from './types.js';

interface MethodCall {
  receiver: SyntaxNode | undefined;
  method: string | undefined;
}

// Dozens of rules ask the same call for its method name; tree-sitter node reads cross into
// native code, so the answer is kept per node (one object per live node, see FileAnalysis).
const methodCalls = new WeakMap<SyntaxNode, MethodCall>();

function methodCall(call: SyntaxNode): MethodCall {
  let parts = methodCalls.get(call);
  if (!parts) {
    const fn = call.childForFieldName('function');
    parts =
      fn?.type === 'attribute'
        ? { receiver: fn.childForFieldName('object') ?? undefined, method: fn.childForFieldName('attribute')?.text }
        : { receiver: undefined, method: undefined };
    methodCalls.set(call, parts);
  }
  return parts;
}

/** The method name of `obj.method(...)`; undefined for a plain function call. */
export function methodName(call: SyntaxNode): string | undefined {
  return methodCall(call).method;
}

/** `obj` in `obj.method(...)`: the receiver of a method call. */
export function receiverOf(call: SyntaxNode): SyntaxNode | undefined {
  return methodCall(call).receiver;
}
