import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';

/** The local names an import statement binds, as identifier nodes (`import a.b` binds `a`). */
function importedIdentifiers(statement: SyntaxNode): SyntaxNode[] {
  return statement.childrenForFieldName('name').flatMap((name) => {
    const local = name.type === 'aliased_import' ? name.childForFieldName('alias') : name.namedChild(0);
    return local?.type === 'identifier' ? [local] : [];
  });
}

/**
 * How to spell `module.member` at `callee`, for fixes that swap one function of a module for a
 * safer sibling (`hashlib.md5` → `hashlib.sha256`, `yaml.load` → `yaml.safe_load`) without
 * adding an import. `y.load` with `import yaml as y` gives `y.safe_load`; a bare `load` gives
 * whichever name an import visible there binds to the member or to the module. Undefined when
 * the file has no such name, so that no fix ever refers to a name that does not exist.
 */
export function spellModuleMember(
  context: RuleContext<string>,
  callee: SyntaxNode,
  module: string,
  member: string,
): string | undefined {
  if (callee.type === 'attribute') {
    const object = callee.childForFieldName('object');
    return object && context.qualifiedName(object) === module ? `${object.text}.${member}` : undefined;
  }
  if (callee.type !== 'identifier') return undefined;
  const target = `${module}.${member}`;
  let viaModule: string | undefined;
  for (const statement of callee.tree.rootNode.descendantsOfType(['import_statement', 'import_from_statement'])) {
    for (const local of importedIdentifiers(statement)) {
      const qualified = context.qualifiedName(local);
      if (qualified !== target && qualified !== module) continue;
      const visible = context.scopes.resolve(local.text, callee)?.bindings;
      if (!visible?.every((b) => b.kind === 'import') || !visible.some((b) => b.statement.id === statement.id))
        continue;
      if (qualified === target) return local.text;
      viaModule ??= `${local.text}.${member}`;
    }
  }
  return viaModule;
}
