import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SHELL_CALL, VULNERABLE, Workspace } from './workspace.js';

let workspace: Workspace;
beforeEach(() => {
  workspace = new Workspace();
});
afterEach(() => workspace.dispose());

const json = async (...argv: string[]) => {
  const result = await workspace.warden('scan', ...argv, '--format', 'json');
  return {
    ...result,
    report: JSON.parse(result.stdout) as {
      findings: { ruleId: string; path: string; line: number; severity: string; suppressed?: unknown }[];
      stats: {
        files: number;
        skipped: { path: string; reason: string }[];
        incomplete: { path: string; reason: string }[];
        parseErrors: number;
      };
    },
  };
};

describe('warden scan', () => {
  it('prints findings like a compiler and exits 1', async () => {
    workspace.write('jobs.py', VULNERABLE);
    const { code, stdout, stderr } = await workspace.warden('scan');
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^jobs\.py:4:5: high subprocess-shell-true `subprocess\.run` runs a command built at runtime through a shell \(`shell=True`\) \(confidence: (low|medium|high)\)$/,
    );
    expect(lines.at(-1)).toMatch(/^1 finding \(1 high\) in 1 file \(\d+\.\d\d s\)$/);
  });

  it('exits 0 when nothing is found', async () => {
    workspace.write('ok.py', 'def greet(name):\n    return f"Hello, {name}"\n');
    const { code, stdout } = await workspace.warden('scan', '.');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^No findings in 1 file/);
  });

  it('keeps suppressed findings in JSON, marked, and does not count them toward the exit code', async () => {
    workspace.write('jobs.py', `import subprocess\n${SHELL_CALL}  # nosec B602\n`);
    const { code, report } = await json();
    expect(code).toBe(0);
    expect(report.findings).toEqual([
      expect.objectContaining({ line: 2, suppressed: { kind: 'nosec', comment: '# nosec B602', line: 2 } }),
    ]);
  });

  it('applies --min-severity to the report and the exit code', async () => {
    workspace.write('jobs.py', 'import subprocess\nsubprocess.run("ls -l", shell=True)\n');
    const all = (await json()).report.findings;
    expect(all.map((finding) => [finding.ruleId, finding.severity])).toContainEqual(['subprocess-shell-true', 'low']);
    expect(all.every((finding) => finding.severity === 'low')).toBe(true);
    const { code, report } = await json('--min-severity', 'medium');
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it('writes the report to --output', async () => {
    workspace.write('jobs.py', VULNERABLE);
    const { code, stdout } = await workspace.warden('scan', '--format', 'sarif', '--output', 'out/warden.sarif');
    expect(stdout).toBe('');
    expect(code).toBe(1);
    expect(JSON.parse(readFileSync(join(workspace.root, 'out/warden.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  it('counts a file with syntax errors under parseErrors and still reports what parsed', async () => {
    workspace.write('half.py', `${VULNERABLE}def broken(:\n`);
    const { report } = await json();
    expect(report.stats).toMatchObject({ files: 1, parseErrors: 1 });
    expect(report.findings.map((finding) => finding.line)).toEqual([4]);
  });

  it('skips binary and non-regular files with the reason', async () => {
    workspace.write('blob.py', Buffer.from([0x00, 0x01, 0x02]));
    execFileSync('mkfifo', [join(workspace.root, 'pipe.py')]);
    const { report, code } = await json('blob.py', 'pipe.py');
    expect(code).toBe(0);
    expect(report.stats.files).toBe(0);
    expect(report.stats.skipped).toEqual([
      { path: 'blob.py', reason: 'binary file' },
      { path: 'pipe.py', reason: 'not a regular file' },
    ]);
  });

  it('never passes a file padded past max_file_size: it is not fully scanned, and the run exits 2', async () => {
    workspace.write('.github/warden.yml', 'max_file_size: 200\n');
    workspace.write('big.py', `${VULNERABLE}${'# padding\n'.repeat(50)}`);
    const { report, code, stderr } = await json('big.py');
    expect(code).toBe(2);
    expect(report.stats.skipped).toEqual([]);
    expect(report.stats.incomplete).toEqual([
      { path: 'big.py', reason: expect.stringMatching(/^larger than the 1 KiB size cap .*; nothing was scanned$/) },
    ]);
    expect(stderr).toContain('1 file was not fully scanned');
  });

  (process.getuid?.() === 0 ? it.skip : it)('reports an unreadable file as skipped', async () => {
    workspace.write('secret.py', VULNERABLE);
    chmodSync(join(workspace.root, 'secret.py'), 0);
    const { report } = await json();
    expect(report.stats.skipped).toEqual([{ path: 'secret.py', reason: 'permission denied' }]);
  });

  it('scans a named file whatever its extension', async () => {
    workspace.write('bin/deploy', VULNERABLE);
    expect((await json('bin/deploy')).report.findings.map((finding) => finding.path)).toEqual(['bin/deploy']);
    expect((await json()).report.stats.files).toBe(0);
  });
});

describe('file discovery', () => {
  it('skips virtualenvs, caches, node_modules and tox directories', async () => {
    workspace.write('app/main.py', VULNERABLE);
    for (const dir of ['.venv', 'venv', '.tox', '__pycache__', 'node_modules', '.git'])
      workspace.write(`${dir}/lib/mod.py`, VULNERABLE);
    workspace.write('env38/pyvenv.cfg', 'home = /usr/bin\n').write('env38/lib/site.py', VULNERABLE);
    const { report } = await json();
    expect(report.findings.map((finding) => finding.path)).toEqual(['app/main.py']);
  });

  it('scans a package that happens to be called venv', async () => {
    workspace.write('venv/__init__.py', VULNERABLE).write('tools/.venv/lib/site.py', VULNERABLE);
    expect((await json()).report.findings.map((finding) => finding.path)).toEqual(['venv/__init__.py']);
    workspace.initRepository();
    expect((await json()).report.findings.map((finding) => finding.path)).toEqual(['venv/__init__.py']);
  });

  it('does not hang on symbolic link loops and reports looping file links', async () => {
    workspace.write('pkg/mod.py', VULNERABLE);
    symlinkSync('..', join(workspace.root, 'pkg', 'parent'));
    symlinkSync('b.py', join(workspace.root, 'a.py'));
    symlinkSync('a.py', join(workspace.root, 'b.py'));
    const { report } = await json();
    expect(report.findings.map((finding) => finding.path)).toEqual(['pkg/mod.py']);
    expect(report.stats.skipped).toEqual([
      { path: 'a.py', reason: 'symbolic link loop' },
      { path: 'b.py', reason: 'symbolic link loop' },
    ]);
  });

  it('applies the config include and exclude globs', async () => {
    workspace.write('warden.yml', 'paths:\n  include: ["src/**/*.py"]\n  exclude: ["**/migrations/**"]\n');
    workspace
      .write('src/app.py', VULNERABLE)
      .write('src/migrations/0001.py', VULNERABLE)
      .write('scripts/tool.py', VULNERABLE);
    const { report } = await json('--config', 'warden.yml');
    expect(report.findings.map((finding) => finding.path)).toEqual(['src/app.py']);
  });

  it('leaves out git-ignored files inside a repository, but scans untracked ones', async () => {
    workspace.initRepository();
    workspace.write('.gitignore', 'build/\n*_generated.py\n');
    workspace
      .write('app.py', VULNERABLE)
      .write('build/lib/app.py', VULNERABLE)
      .write('schema_generated.py', VULNERABLE);
    workspace.commitAll('initial');
    workspace.write('new.py', VULNERABLE);
    const { report } = await json();
    expect(report.findings.map((finding) => finding.path)).toEqual(['app.py', 'new.py']);
  });

  it('does not list files deleted from the working tree but still in the index', async () => {
    workspace.initRepository();
    workspace.write('kept.py', VULNERABLE).write('gone.py', VULNERABLE).commitAll('initial');
    rmSync(join(workspace.root, 'gone.py'));
    const { report } = await json();
    expect(report.findings.map((finding) => finding.path)).toEqual(['kept.py']);
    expect(report.stats.skipped).toEqual([]);
  });

  it('scans a directory named on the command line even when git ignores it', async () => {
    workspace.initRepository();
    workspace.write('.gitignore', 'vendor/\n').write('vendor/lib.py', VULNERABLE);
    const { report } = await json('vendor');
    expect(report.findings.map((finding) => finding.path)).toEqual(['vendor/lib.py']);
  });
});

describe('configuration', () => {
  it('warns about a broken config on stderr and scans with the defaults', async () => {
    workspace
      .write('warden.yml', 'rules: [not, a, mapping]\nmin_severity: extreme\nunknown_key: 1\n')
      .write('jobs.py', VULNERABLE);
    const { code, stderr, report } = await json('--config', 'warden.yml');
    expect(code).toBe(1);
    expect(report.findings).toHaveLength(1);
    const warnings = stderr.trimEnd().split('\n');
    expect(warnings.length).toBeGreaterThanOrEqual(3);
    for (const warning of warnings) expect(warning).toMatch(/^warden: warning: .*warden\.yml: /);
  });

  it('warns about an unreadable config path without failing', async () => {
    workspace.write('jobs.py', VULNERABLE);
    const { code, stderr } = await json('--config', 'missing.yml');
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^warden: warning: .*missing\.yml: cannot read the config \(ENOENT\); using the defaults\n$/,
    );
  });

  it('switches rules off and overrides severities', async () => {
    workspace.write('jobs.py', VULNERABLE);
    workspace
      .write('off.yml', 'rules:\n  subprocess-shell-true: off\n')
      .write('low.yml', 'rules:\n  subprocess-shell-true:\n    severity: low\n');
    expect((await json('--config', 'off.yml')).report.findings).toEqual([]);
    expect((await json('--config', 'low.yml')).report.findings.map((finding) => finding.severity)).toEqual(['low']);
  });
});

describe('usage errors', () => {
  it.each([
    [['scan', '--format', 'xml'], /argument 'xml' is invalid/],
    [['scan', '--min-severity', 'critical'], /argument 'critical' is invalid/],
    [['scan', '--bogus'], /unknown option '--bogus'/],
    [['scan', 'does-not-exist'], /^warden: does-not-exist: no such file or directory\n$/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('`warden %j` exits 2 with a one-line message', async (argv, message) => {
    const { code, stderr, stdout } = await workspace.warden(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('exits 2 when --output cannot be written', async () => {
    workspace.write('jobs.py', VULNERABLE);
    mkdirSync(join(workspace.root, 'taken'));
    const { code, stderr } = await workspace.warden('scan', '--output', 'taken');
    expect(code).toBe(2);
    expect(stderr).toBe('warden: --output taken: cannot write (EISDIR)\n');
  });

  it('prints help and exits 0 for --help', async () => {
    const { code, stdout } = await workspace.warden('scan', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('--diff <base>');
  });
});
