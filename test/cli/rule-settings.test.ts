import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { VULNERABLE, Workspace } from './workspace.js';

let workspace: Workspace;
beforeEach(() => {
  workspace = new Workspace();
});
afterEach(() => workspace.dispose());

const SECRET = 'API_TOKEN = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"\n';

describe("warden scan: a rule's exclude globs", () => {
  it('silence one rule on the matching paths, and every other rule still scans them', async () => {
    workspace
      .initRepository()
      .write('.github/warden.yml', "rules:\n  hardcoded-secret: { exclude: ['scripts/**'] }\n")
      .write('scripts/deploy.py', `${SECRET}${VULNERABLE}`)
      .write('app/settings.py', SECRET);
    const { stdout } = await workspace.warden('scan', '--format', 'json');
    const findings = (JSON.parse(stdout) as { findings: { ruleId: string; path: string }[] }).findings;
    expect(findings.map((finding) => `${finding.ruleId} ${finding.path}`).sort()).toEqual([
      'hardcoded-secret app/settings.py',
      'subprocess-shell-true scripts/deploy.py',
    ]);
  });

  it('match paths from the repository root, whatever the working directory', async () => {
    workspace
      .initRepository()
      .write('.github/warden.yml', "rules:\n  subprocess-shell-true: { exclude: ['scripts/**'] }\n")
      .write('scripts/deploy.py', VULNERABLE);
    const { code, stdout } = await workspace.wardenIn('scripts', 'scan', '.');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^No findings in 1 file/);
  });
});
