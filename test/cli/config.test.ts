import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { VULNERABLE, Workspace } from './workspace.js';

let workspace: Workspace;
beforeEach(() => {
  workspace = new Workspace();
});
afterEach(() => workspace.dispose());

const MEDIUM = 'import hashlib\nhashlib.md5(data).hexdigest()\n';
const PYPROJECT = `[project]
name = "service"

[tool.warden]
min_confidence = "low"

[tool.warden.fail_on]
severity = "medium"

[tool.warden.rules]
subprocess-shell-true = "off"
`;

describe('warden scan: [tool.warden] in pyproject.toml', () => {
  it('is read when there is no --config and no .github/warden.yml', async () => {
    workspace.write('jobs.py', VULNERABLE).write('digest.py', MEDIUM).write('pyproject.toml', PYPROJECT);
    const { code, stdout, stderr } = await workspace.warden('scan');
    expect(stderr).toBe('');
    expect(stdout).not.toContain('subprocess-shell-true');
    expect(stdout).toContain('digest.py:2:1: medium insecure-hash-function');
    expect(code).toBe(1); // fail_on medium
  });

  it('is found from a subdirectory, up to the repository root', async () => {
    workspace.initRepository().write('pyproject.toml', PYPROJECT).write('pkg/jobs.py', VULNERABLE);
    const { code, stdout } = await workspace.wardenIn('pkg', 'scan', '.');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^No findings in 1 file/);
  });

  it('gives way to .github/warden.yml, which the App reads too', async () => {
    workspace
      .write('jobs.py', VULNERABLE)
      .write('pyproject.toml', PYPROJECT)
      .write('.github/warden.yml', 'min_severity: low\n');
    const { code, stdout } = await workspace.warden('scan');
    expect(code).toBe(1);
    expect(stdout).toContain('subprocess-shell-true');
  });

  it('is read with --config pyproject.toml', async () => {
    workspace.write('jobs.py', VULNERABLE).write('conf/pyproject.toml', PYPROJECT).write('.github/warden.yml', '');
    const { stdout } = await workspace.warden('scan', '--config', 'conf/pyproject.toml');
    expect(stdout).toMatch(/^No findings/);
  });

  it('reports invalid TOML and wrong keys as warnings and keeps the defaults', async () => {
    workspace.write('jobs.py', VULNERABLE).write('pyproject.toml', '[tool.warden]\nmin_severity = \n');
    const broken = await workspace.warden('scan');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^warden: warning: pyproject\.toml: not valid TOML: .*; using the defaults\n$/);

    workspace.write('pyproject.toml', '[tool.warden]\nmin_severity = "severe"\ncolour = true\n');
    const wrong = await workspace.warden('scan');
    expect(wrong.stderr).toContain('warden: warning: pyproject.toml [tool.warden]: unknown key `colour` (ignored)');
    expect(wrong.stderr).toContain('pyproject.toml [tool.warden]: min_severity:');
  });

  it('ignores a pyproject.toml without [tool.warden], even one that does not parse', async () => {
    workspace.write('jobs.py', VULNERABLE).write('pyproject.toml', '[project]\nname = "x"\n[tool.ruff\n');
    const { code, stderr } = await workspace.warden('scan');
    expect(code).toBe(1);
    expect(stderr).toBe('');
  });
});
