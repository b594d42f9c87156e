import type { Binding } from '../scopes.js';
import type { Confidence, SyntaxNode } from '../types.js';
import type { SinkFamily } from './origin.js';

/** What the source recognisers need to know about the file. */
export interface SourceHost {
  /** The file's path, as given to the scan. */
  readonly path: string;
  qualifiedName(node: SyntaxNode): string | undefined;
  isModuleImported(module: string): boolean;
  bindingsOf(identifier: SyntaxNode): Binding[];
}

/** A recognised untrusted source at one node. */
export interface SourceMatch {
  /** e.g. "request.args (Flask)". */
  source: string;
  /** The first trace step, e.g. "request.args read here". */
  note: string;
  confidence: Confidence;
  /** Families for which this data is harmless. */
  harmlessFor?: ReadonlySet<SinkFamily>;
  /**
   * Data another party sends over the network (a request, an event, a queued job), as opposed
   * to what the program's own operator provides (arguments, input, the environment, files).
   */
  remote?: boolean;
}

export interface ParameterName {
  name: string;
  node: SyntaxNode;
  /** `*args` collects the remaining positional arguments, `**kwargs` the remaining keywords. */
  collects?: 'positional' | 'keywords';
}

/** The parameters of a def or lambda, in order, as the names Python binds. */
export function parameterNames(params: SyntaxNode | null): ParameterName[] {
  const result: ParameterName[] = [];
  for (const param of params?.namedChildren ?? []) {
    let node: SyntaxNode | null | undefined = param;
    if (param.type === 'default_parameter' || param.type === 'typed_default_parameter')
      node = param.childForFieldName('name');
    else if (param.type === 'typed_parameter') node = param.namedChildren[0];
    const collects =
      node?.type === 'list_splat_pattern'
        ? 'positional'
        : node?.type === 'dictionary_splat_pattern'
          ? 'keywords'
          : undefined;
    if (collects) node = node!.namedChildren[0];
    if (node?.type === 'identifier') result.push({ name: node.text, node, ...(collects ? { collects } : {}) });
  }
  return result;
}

/** The parameter node (`x`, `x: T`, `x=1`) that holds a parameter's name. */
export function parameterDeclaration(nameNode: SyntaxNode): SyntaxNode {
  let node = nameNode;
  while (node.parent && node.parent.type !== 'parameters' && node.parent.type !== 'lambda_parameters')
    node = node.parent;
  return node;
}
