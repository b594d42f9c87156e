import { describe, expect, it } from '@jest/globals';
import { scanSource } from '../../src/engine/index.js';
import subprocessShellTrue from '../../src/rules/injection/subprocess-shell-true.js';

const scan = (code: string, path = 'app/tasks.py') => scanSource(path, code, { rules: [subprocessShellTrue] }).findings;

const CALL = 'subprocess.run(f"tar czf {name}.tgz", shell=True)';
const CODE = `import subprocess\n\ndef archive(name):\n    ${CALL}\n`;

describe('fingerprints', () => {
  it('survive edits above the finding', () => {
    const [before] = scan(CODE);
    const [after] = scan(`"""Archiving helpers."""\nimport logging\n\nlog = logging.getLogger(__name__)\n${CODE}`);
    expect(after!.line).toBe(before!.line + 4);
    expect(after!.fingerprint).toBe(before!.fingerprint);
  });

  it('survive re-indenting and re-wrapping the flagged call', () => {
    const [before] = scan(CODE);
    const [after] = scan(
      `import subprocess\n\nclass Jobs:\n    def archive(self, name):\n        subprocess.run(\n            f"tar czf {name}.tgz",\n            shell=True,\n        )\n`,
    );
    expect(after!.fingerprint).toBe(before!.fingerprint);
  });

  it('differ by occurrence index for identical code', () => {
    const findings = scan(`import subprocess\n\ndef archive(name):\n    ${CALL}\n    ${CALL}\n`);
    expect(findings).toHaveLength(2);
    expect(findings[0]!.fingerprint).not.toBe(findings[1]!.fingerprint);
  });

  it('differ between files and between different code', () => {
    const [here] = scan(CODE);
    const [elsewhere] = scan(CODE, 'app/other.py');
    const [changed] = scan(CODE.replace('tar czf', 'zip -r'));
    expect(new Set([here!.fingerprint, elsewhere!.fingerprint, changed!.fingerprint]).size).toBe(3);
  });
});
