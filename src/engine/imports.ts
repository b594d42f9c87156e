import type { SyntaxNode } from './types.js';

/**
 * What the names of one module refer to, built from its import statements, so that
 * `sp.run`, `run` and `subprocess.run` all resolve to `subprocess.run` whatever the alias.
 */
export interface ImportTable {
  /** Local name → qualified name (`sp` → `subprocess`, `run` → `os.system`). */
  aliases: Map<string, string>;
  /** Modules imported with `from M import *`, in source order. */
  starModules: string[];
  /** Every module imported anywhere in the file, with its parent packages. */
  importedModules: Set<string>;
}

export function emptyImportTable(): ImportTable {
  return { aliases: new Map(), starModules: [], importedModules: new Set() };
}

function moduleNameOf(node: SyntaxNode): string {
  // A relative import keeps its dots: `.models` never matches an absolute library name,
  // which is what we want (a local module called `subprocess` is not the stdlib one).
  return node.text.replace(/\s+/g, '');
}

function recordModule(table: ImportTable, qualified: string): void {
  const parts = qualified.split('.');
  for (let i = 1; i <= parts.length; i++) table.importedModules.add(parts.slice(0, i).join('.'));
}

/** Adds the bindings of one `import …` or `from … import …` statement to the table. */
export function addImportStatement(table: ImportTable, node: SyntaxNode): void {
  if (node.type === 'import_statement') {
    for (const name of node.childrenForFieldName('name')) {
      if (name.type === 'aliased_import') {
        const target = name.childForFieldName('name');
        const alias = name.childForFieldName('alias');
        if (!target || !alias) continue;
        const qualified = moduleNameOf(target);
        table.aliases.set(alias.text, qualified);
        recordModule(table, qualified);
      } else {
        // `import a.b.c` binds only `a`; attribute access spells out the rest.
        const qualified = moduleNameOf(name);
        const head = qualified.split('.')[0];
        table.aliases.set(head, head);
        recordModule(table, qualified);
      }
    }
    return;
  }
  if (node.type === 'import_from_statement') {
    const moduleNode = node.childForFieldName('module_name');
    if (!moduleNode) return;
    const moduleName = moduleNameOf(moduleNode);
    if (!moduleName.startsWith('.')) recordModule(table, moduleName);
    const join = (name: string) => (moduleName.endsWith('.') ? moduleName + name : `${moduleName}.${name}`);
    if (node.namedChildren.some((c) => c.type === 'wildcard_import')) {
      table.starModules.push(moduleName);
      return;
    }
    for (const name of node.childrenForFieldName('name')) {
      if (name.type === 'aliased_import') {
        const target = name.childForFieldName('name');
        const alias = name.childForFieldName('alias');
        if (target && alias) table.aliases.set(alias.text, join(moduleNameOf(target)));
      } else {
        const local = moduleNameOf(name);
        table.aliases.set(local, join(local));
      }
    }
  }
}
