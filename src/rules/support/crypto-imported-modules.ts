import type { SyntaxNode } from '../../engine/types.js';

/** `a.b` of a `dotted_name` or of an `aliased_import`'s name, without whitespace. */
function dottedText(node: SyntaxNode | null): string {
  return (node?.type === 'aliased_import' ? node.childForFieldName('name') : node)?.text.replace(/\s+/g, '') ?? '';
}

/**
 * Every module path an import statement names: `import a.b` gives `a.b`; `from a import b, c`
 * gives `a`, `a.b` and `a.c`, since an imported name may be a submodule. Relative imports keep
 * their leading dots, so they never match a library's name. Used by the crypto and XML rules
 * that judge a library by its import.
 */
export function importedModulePaths(statement: SyntaxNode): string[] {
  if (statement.type === 'import_statement') return statement.childrenForFieldName('name').map(dottedText);
  if (statement.type !== 'import_from_statement') return [];
  const module = dottedText(statement.childForFieldName('module_name'));
  const join = (name: string) => (module.endsWith('.') ? module + name : `${module}.${name}`);
  return [module, ...statement.childrenForFieldName('name').map((name) => join(dottedText(name)))];
}
