import { parse as parseToml, type TomlTable } from 'smol-toml';
import { defaultConfig } from './defaults.js';
import { resolveConfig, type LoadedConfig } from './load.js';

/**
 * The `[tool.warden]` table of a pyproject.toml, validated by the same schema as
 * `.github/warden.yml` (keys keep their YAML names: `[tool.warden.fail_on]`,
 * `[tool.warden.rules.hardcoded-secret]`). Undefined when the file has no such table; a file that
 * is not valid TOML yields the defaults and the error, like a broken YAML config.
 */
export function parsePyprojectConfig(text: string, source: string): LoadedConfig | undefined {
  let document: TomlTable;
  try {
    document = parseToml(text);
  } catch (error) {
    // Without a parse there is no telling whether the file meant to configure Warden.
    if (!/^\s*\[\s*tool\.warden\b/m.test(text)) return undefined;
    return {
      config: defaultConfig,
      errors: [`${source}: not valid TOML: ${(error as Error).message.split('\n')[0]}; using the defaults`],
    };
  }
  const tool = document.tool;
  if (typeof tool !== 'object' || Array.isArray(tool) || !('warden' in tool)) return undefined;
  const loaded = resolveConfig(tool.warden);
  return { config: loaded.config, errors: loaded.errors.map((error) => `${source} [tool.warden]: ${error}`) };
}
