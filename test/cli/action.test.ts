import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { SHELL_CALL, VULNERABLE, Workspace } from './workspace.js';

const execFileAsync = promisify(execFile);

interface Step {
  id?: string;
  uses?: string;
  if?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
};
const steps = action.runs.steps;
const scanStep = steps.find((step) => step.id === 'scan')!;

const workspace = new Workspace();
afterAll(() => workspace.dispose());

describe('action.yml', () => {
  it('is a composite action that scans, uploads the SARIF, then fails on findings', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.inputs.base.default).toBe(
      '${{ github.event.pull_request.base.sha || github.event.merge_group.base_sha }}',
    );
    expect(steps.map((step) => step.uses ?? step.id ?? 'run')).toEqual([
      'actions/setup-node@v4',
      'run',
      'scan',
      'github/codeql-action/upload-sarif@v3',
      'run',
    ]);
    expect(steps[3].with).toEqual({ sarif_file: '${{ inputs.sarif-file }}', category: '${{ inputs.category }}' });
    expect(steps[4].if).toContain("steps.scan.outputs.exit-code == '1'");
  });

  // The scan step's script, run as the runner would run it, against a pull request's commits.
  it('scans only what the branch changed since its base and records the exit code', async () => {
    workspace.initRepository().write('legacy.py', VULNERABLE).commitAll('base');
    const base = workspace.git('rev-parse', 'HEAD').trim();
    workspace.git('checkout', '--quiet', '-b', 'feature');
    workspace.write('new.py', `import subprocess\n\ndef pack(name):\n    ${SHELL_CALL}\n`).commitAll('feature');
    const warden = resolve('dist/cli/main.js');
    expect(existsSync(warden)).toBe(true);
    const env = {
      WARDEN: warden,
      WARDEN_BASE: base,
      WARDEN_PATHS: '.',
      WARDEN_SARIF: 'out/warden.sarif',
      WARDEN_FAIL_ON: '',
      WARDEN_ARGS: '--min-severity low',
      GITHUB_OUTPUT: join(workspace.root, 'github-output'),
    };
    // Every variable the step declares is set here, so the test runs the script as the action does.
    expect(Object.keys(scanStep.env!).sort()).toEqual(
      Object.keys(env)
        .filter((key) => key !== 'GITHUB_OUTPUT')
        .sort(),
    );

    const { stderr } = await execFileAsync('bash', ['-c', scanStep.run!], {
      cwd: workspace.root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });
    expect(stderr).toBe('');
    expect(readFileSync(env.GITHUB_OUTPUT, 'utf8')).toBe('exit-code=1\n');
    const sarif = JSON.parse(readFileSync(join(workspace.root, 'out/warden.sarif'), 'utf8'));
    const results = sarif.runs[0].results as {
      locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
    }[];
    expect(results.map((result) => result.locations[0].physicalLocation.artifactLocation.uri)).toEqual(['new.py']);
  });
});
