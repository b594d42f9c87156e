import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { anyOfLiterals } from './literal-pattern.js';

export interface Reference {
  /** The `ssl.CERT_NONE` attribute or the bare `CERT_NONE` name. */
  node: SyntaxNode;
  /** Its qualified name, `ssl.CERT_NONE`. */
  qualified: string;
}

/** Parents under which a name is being imported or declared, not read. */
const NON_READS = new Set([
  'dotted_name',
  'aliased_import',
  'import_from_statement',
  'import_statement',
  'keyword_argument',
  'global_statement',
]);

const mentions = new WeakMap<ReadonlySet<string>, RegExp>();

/** A search for any of the last names, one pass over the text, made once per set of names. */
function mentionOf(qualifiedNames: ReadonlySet<string>, lastNames: ReadonlySet<string>): RegExp {
  let pattern = mentions.get(qualifiedNames);
  if (!pattern) {
    pattern = anyOfLiterals(lastNames);
    mentions.set(qualifiedNames, pattern);
  }
  return pattern;
}

/**
 * Reads of the given qualified names anywhere in a module (`ssl.CERT_NONE`, or `CERT_NONE`
 * imported from `ssl`), found by a text search first, so a file that never mentions them costs
 * nothing. Comparisons (`if mode == ssl.CERT_NONE:`) only inspect a setting and are left out.
 */
export function findReferences(
  module: SyntaxNode,
  context: RuleContext<string>,
  qualifiedNames: ReadonlySet<string>,
): Reference[] {
  const lastNames = new Set([...qualifiedNames].map((q) => q.slice(q.lastIndexOf('.') + 1)));
  if (!context.sourceMatches(mentionOf(qualifiedNames, lastNames))) return [];
  // `from ssl import CERT_NONE as NO_CHECK`: the alias is read instead.
  const searched = new Set(lastNames);
  for (const aliased of module.descendantsOfType('aliased_import')) {
    const name = aliased.childForFieldName('name')?.text ?? '';
    const alias = aliased.childForFieldName('alias')?.text;
    if (alias && lastNames.has(name.slice(name.lastIndexOf('.') + 1))) searched.add(alias);
  }
  const references: Reference[] = [];
  for (const identifier of module.descendantsOfType('identifier')) {
    if (!searched.has(identifier.text)) continue;
    const parent = identifier.parent;
    if (!parent || (NON_READS.has(parent.type) && parent.childForFieldName('value')?.id !== identifier.id)) continue;
    // In `ssl.CERT_NONE` the identifier is the attribute part; the reference is the whole attribute.
    const isAttributePart = parent.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id;
    if (parent.type === 'attribute' && !isAttributePart) continue;
    const node = isAttributePart ? parent : identifier;
    if (node.parent?.type === 'comparison_operator') continue;
    const qualified = context.qualifiedName(node);
    if (qualified && qualifiedNames.has(qualified)) references.push({ node, qualified });
  }
  return references;
}
