import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { SHELL_CALL, Workspace } from './workspace.js';

let workspace: Workspace;
beforeEach(() => {
  workspace = new Workspace();
});
afterEach(() => workspace.dispose());

/** Lines of `calls` shell calls inside a function; `extra` lines go before them. */
const jobs = (...lines: string[]) =>
  `import subprocess\n\ndef archive(name):\n${lines.map((line) => `    ${line}`).join('\n')}\n`;
const shell = (tag: string) => SHELL_CALL.replace('tar czf', `tar czf${tag}`);

const diffFindings = async (base: string) => {
  const { code, stdout, stderr } = await workspace.warden('scan', '--diff', base, '--format', 'json');
  const report = JSON.parse(stdout || '{"findings":[]}') as {
    findings: { ruleId: string; path: string; line: number }[];
  };
  return {
    code,
    stderr,
    findings: report.findings
      .filter((finding) => finding.ruleId === 'subprocess-shell-true')
      .map((finding) => `${finding.path}:${finding.line}`),
  };
};

describe('warden scan --diff', () => {
  it('reports only findings on lines the last commit added or changed', async () => {
    workspace.initRepository();
    workspace.write('jobs.py', jobs(shell('1'), shell('2'), 'pass'));
    workspace.write('old.py', jobs(shell('old')));
    workspace.write('renamed_from.py', jobs(shell('a'), shell('b')));
    workspace.commitAll('first');
    // Second commit: an unchanged finding moves down, one is edited, one is added;
    // a file is renamed with one of its lines changed.
    workspace.write('jobs.py', `# header\n${jobs(shell('1'), shell('2-edited'), shell('3'), 'pass')}`);
    workspace.git('mv', 'renamed_from.py', 'renamed_to.py');
    workspace.write('renamed_to.py', jobs(shell('a'), shell('b-edited')));
    workspace.commitAll('second');

    const { code, findings } = await diffFindings('HEAD~1');
    expect(findings).toEqual(['jobs.py:6', 'jobs.py:7', 'renamed_to.py:5']);
    expect(code).toBe(1);
  });

  it('reports an unchanged sink when the change brings untrusted data to it', async () => {
    workspace.initRepository();
    const handler = (source: string) =>
      `import subprocess\nfrom flask import request\n\ndef archive():\n    name = ${source}\n    subprocess.run(f"tar czf {name}.tgz", shell=True)\n`;
    workspace.write('views.py', handler('default_name()')).commitAll('first');
    workspace.write('views.py', handler('request.args["name"]')).commitAll('second');
    expect((await diffFindings('HEAD~1')).findings).toEqual(['views.py:6']);
  });

  it('counts uncommitted edits and untracked files as changed', async () => {
    workspace.initRepository();
    workspace.write('jobs.py', jobs(shell('1'), 'pass')).commitAll('first');
    workspace.write('jobs.py', jobs(shell('1'), shell('2')));
    workspace.write('new/tool.py', jobs(shell('x'), shell('y')));
    const { findings } = await diffFindings('HEAD');
    expect(findings).toEqual(['jobs.py:5', 'new/tool.py:4', 'new/tool.py:5']);
  });

  it('diffs against the merge-base, so changes on the base branch are left out', async () => {
    workspace.initRepository();
    workspace.write('jobs.py', jobs('pass')).commitAll('first');
    workspace.git('checkout', '--quiet', '-b', 'feature');
    workspace.write('feature.py', jobs(shell('feature'))).commitAll('feature work');
    workspace.git('checkout', '--quiet', 'main');
    workspace.write('main_only.py', jobs(shell('main'))).commitAll('main moves on');
    workspace.git('checkout', '--quiet', 'feature');
    expect((await diffFindings('main')).findings).toEqual(['feature.py:4']);
  });

  it('exits 0 when the diff adds nothing at or above the threshold', async () => {
    workspace.initRepository();
    workspace.write('jobs.py', jobs(shell('1'))).commitAll('first');
    workspace.write('jobs.py', `${jobs(shell('1'))}\nVERSION = "1.0"\n`).commitAll('second');
    const { code, findings } = await diffFindings('HEAD~1');
    expect(findings).toEqual([]);
    expect(code).toBe(0);
  });

  it('exits 2 with a clear message for an unknown base', async () => {
    workspace.initRepository();
    workspace.write('jobs.py', jobs('pass')).commitAll('first');
    const { code, stderr } = await workspace.warden('scan', '--diff', 'no-such-branch');
    expect(code).toBe(2);
    expect(stderr).toBe('warden: --diff no-such-branch: not a commit in this repository\n');
  });

  it('exits 2 outside a git repository', async () => {
    workspace.write('jobs.py', jobs('pass'));
    const { code, stderr } = await workspace.warden('scan', '--diff', 'HEAD~1');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^warden: --diff needs a git repository/);
  });
});
