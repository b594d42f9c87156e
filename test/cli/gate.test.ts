import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { VULNERABLE, Workspace } from './workspace.js';

let workspace: Workspace;
beforeEach(() => {
  workspace = new Workspace();
});
afterEach(() => workspace.dispose());

/** One medium-severity, medium-confidence finding (insecure-hash-function). */
const MEDIUM = 'import hashlib\n\ndef fingerprint(document):\n    return hashlib.md5(document).hexdigest()\n';

describe('warden scan: the exit code follows fail_on', () => {
  it('exits 0 on a finding below the default fail_on (high, medium) and still reports it', async () => {
    workspace.write('digest.py', MEDIUM);
    const { code, stdout } = await workspace.warden('scan');
    expect(code).toBe(0);
    expect(stdout).toContain('digest.py:4:12: medium insecure-hash-function');
  });

  it("applies the config's fail_on", async () => {
    workspace.write('digest.py', MEDIUM).write('.github/warden.yml', 'fail_on: { severity: medium }\n');
    expect((await workspace.warden('scan')).code).toBe(1);
    workspace.write('.github/warden.yml', 'fail_on: { severity: medium, confidence: high }\n');
    expect((await workspace.warden('scan')).code).toBe(0);
  });

  it('never fails with fail_on: false', async () => {
    workspace.write('jobs.py', VULNERABLE).write('.github/warden.yml', 'fail_on: false\n');
    expect((await workspace.warden('scan')).code).toBe(0);
  });

  it('takes --fail-on SEVERITY[:CONFIDENCE] over the config', async () => {
    workspace.write('digest.py', MEDIUM).write('.github/warden.yml', 'fail_on: false\n');
    expect((await workspace.warden('scan', '--fail-on', 'medium')).code).toBe(1);
    expect((await workspace.warden('scan', '--fail-on', 'medium:high')).code).toBe(0);
    expect((await workspace.warden('scan', '--fail-on', 'low:low')).code).toBe(1);
    expect((await workspace.warden('scan', '--fail-on', 'high')).code).toBe(0);
  });

  it('exits 0 with --exit-zero, with the findings still printed', async () => {
    workspace.write('jobs.py', VULNERABLE);
    const { code, stdout } = await workspace.warden('scan', '--exit-zero');
    expect(code).toBe(0);
    expect(stdout).toContain('jobs.py:4:5: high subprocess-shell-true');
  });

  it('rejects a malformed --fail-on as a usage error', async () => {
    workspace.write('jobs.py', VULNERABLE);
    const { code, stderr } = await workspace.warden('scan', '--fail-on', 'critical');
    expect(code).toBe(2);
    expect(stderr).toContain("option '--fail-on <level>' argument 'critical' is invalid");
    expect(stderr).toContain('SEVERITY[:CONFIDENCE]');
  });
});
