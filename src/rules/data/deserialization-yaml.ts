/**
 * PyYAML's loaders and loading functions, by how much of Python they let a document build
 * (Bandit B506). Both the top-level names and the submodules that define them are listed.
 */
export type YamlLoaderKind = 'safe' | 'full' | 'unsafe';

function loaderRows(kind: YamlLoaderKind, pure: string, native: string): [string, YamlLoaderKind][] {
  return [`yaml.${pure}`, `yaml.loader.${pure}`, `yaml.${native}`, `yaml.cyaml.${native}`].map((name) => [name, kind]);
}

export const YAML_LOADERS: ReadonlyMap<string, YamlLoaderKind> = new Map([
  ...loaderRows('safe', 'SafeLoader', 'CSafeLoader'),
  ...loaderRows('safe', 'BaseLoader', 'CBaseLoader'),
  ...loaderRows('full', 'FullLoader', 'CFullLoader'),
  ...loaderRows('unsafe', 'Loader', 'CLoader'),
  ...loaderRows('unsafe', 'UnsafeLoader', 'CUnsafeLoader'),
]);

export interface YamlLoadFunction {
  /** The loader the function uses; `undefined` when it takes a `Loader` argument. */
  loader?: YamlLoaderKind;
  /** The safe function to call instead. */
  safeMember: 'safe_load' | 'safe_load_all';
}

export const YAML_LOAD_FUNCTIONS: ReadonlyMap<string, YamlLoadFunction> = new Map([
  ['yaml.load', { safeMember: 'safe_load' }],
  ['yaml.load_all', { safeMember: 'safe_load_all' }],
  ['yaml.full_load', { loader: 'full', safeMember: 'safe_load' }],
  ['yaml.full_load_all', { loader: 'full', safeMember: 'safe_load_all' }],
  ['yaml.unsafe_load', { loader: 'unsafe', safeMember: 'safe_load' }],
  ['yaml.unsafe_load_all', { loader: 'unsafe', safeMember: 'safe_load_all' }],
]);

/** ruamel.yaml's `YAML(typ=…)` values that construct arbitrary Python objects. */
export const RUAMEL_UNSAFE_TYPES: readonly string[] = ['unsafe'];
export const RUAMEL_YAML_CLASS = 'ruamel.yaml.YAML';
