import type { SyntaxNode } from '../../engine/types.js';
import type { RuleContext } from '../../engine/context.js';
import { createRule } from '../create-rule.js';
import { passesShell, shellCall, SUBPROCESS_FUNCTIONS } from '../support/command-sinks.js';
import { builtString } from '../support/template-strings.js';

/**
 * tar, chown, chmod or rsync (by any path) followed, before the end of the simple command,
 * by a word that starts with a glob: the shell expands it to file names, and a file named
 * `--checkpoint-action=exec=sh x.sh` or `--reference=owned` becomes an option.
 */
const WILDCARD_ARGUMENT = /(?:^|[\s;&|(`])(?:[^\s;&|]*\/)?(tar|chown|chmod|rsync)\s(?:[^;&|]*\s)?\*/;

/** The shell command line of a call, with its name: shell functions, or subprocess with `shell=True`. */
function shellCommand(context: RuleContext, call: SyntaxNode): { fn: string; command: SyntaxNode } | undefined {
  const sink = shellCall(context, call);
  if (sink) return { fn: sink.name, command: sink.command };
  const fn = context.calleeName(call);
  const command =
    fn && SUBPROCESS_FUNCTIONS.has(fn) && passesShell(context, call) ? context.argument(call, 0, 'args') : undefined;
  return command ? { fn: fn!, command } : undefined;
}

/** What the command line says, literally: the whole of a constant, the literal parts of a built one. */
function commandText(context: RuleContext, command: SyntaxNode): string | undefined {
  const value = context.literalValue(command);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join(' ');
  return builtString(context, command)?.literalText;
}

export default createRule({
  id: 'unix-wildcard-injection',
  meta: {
    title: 'Shell wildcard passed to tar, chown, chmod or rsync',
    category: 'injection',
    cwe: [155],
    severity: 'high',
    confidence: 'medium',
    equivalents: { bandit: ['B609'], ruff: ['S609'] },
    messages: {
      wildcard: '`{{fn}}` runs `{{program}}` on a `*` wildcard; a file name that starts with `-` becomes an option',
    },
    docs: {
      why: "The shell expands `*` to the names of the files in the directory before the program starts, and programs cannot tell a file name from an option. Whoever can create a file there chooses options: `--checkpoint-action=exec=sh x.sh` makes `tar` run a script, `--reference=mine` makes `chown`/`chmod` copy the attacker's ownership or mode, `-e sh x.sh` makes `rsync` run a command.",
      example: 'import os\n\nos.system("cd /var/uploads && tar czf /backups/uploads.tgz *")',
      fix: 'Prefix the glob with a directory (`./*`), so that every expanded name starts with `./` and never with `-`, or end the options with `--` before it; better, pass the directory itself.\n\n```python\nimport subprocess\n\nsubprocess.run(["tar", "czf", "/backups/uploads.tgz", "-C", "/var/uploads", "."], check=True)\n```',
      knownProblems:
        'Only `tar`, `chown`, `chmod` and `rsync` are checked, as in Bandit; other programs have dangerous options too. A `--` before the wildcard is not recognised.',
      references: [
        'https://www.exploit-db.com/papers/33930',
        'https://cwe.mitre.org/data/definitions/155.html',
        'https://www.gnu.org/software/tar/manual/html_node/checkpoints.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const sink = shellCommand(context, node);
      const text = sink && commandText(context, sink.command);
      const match = text ? WILDCARD_ARGUMENT.exec(text) : null;
      if (sink && match) context.report({ node, messageId: 'wildcard', data: { fn: sink.fn, program: match[1] } });
    },
  },
  tests: {
    valid: [
      'import os\nos.system("tar czf backup.tgz ./*")',
      'import subprocess\nsubprocess.run(["tar", "czf", "out.tgz", "*"])',
      'import os\nos.system("ls *")',
      'import subprocess\nsubprocess.run("chmod 600 secrets/*", shell=True)',
    ],
    invalid: [
      {
        code: 'import os\nos.system("cd /var/uploads && tar czf /backups/uploads.tgz *")',
        errors: [{ messageId: 'wildcard', line: 2, message: '`tar`' }],
      },
      {
        code: 'import subprocess as sp\nsp.Popen("/bin/chown root:root *", shell=True)',
        errors: [{ messageId: 'wildcard', message: '`chown`' }],
      },
      {
        code: 'from os import popen as run\nrun(f"rsync -a * {host}:/srv")',
        errors: [{ messageId: 'wildcard', message: '`rsync`' }],
      },
      {
        code: 'import subprocess\nsubprocess.call(["chmod", "644", "*.txt"], shell=True)',
        errors: [{ messageId: 'wildcard', message: 'subprocess.call' }],
      },
    ],
  },
});
