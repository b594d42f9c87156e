import type { SyntaxNode } from '../../engine/types.js';
import type { RuleContext } from '../../engine/context.js';
import { createRule } from '../create-rule.js';
import { originEvidence } from '../support/command-origin.js';

/**
 * `client.exec_command(…)` on a paramiko client. The receiver's type is not known, so the
 * method name counts in a file that imports paramiko, or when the callee resolves into it.
 */
function isParamikoExec(context: RuleContext, call: SyntaxNode): boolean {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'exec_command') return false;
  return context.isModuleImported('paramiko') || (context.calleeName(call)?.startsWith('paramiko.') ?? false);
}

export default createRule({
  id: 'paramiko-exec-command',
  meta: {
    title: 'Remote shell command built at runtime (paramiko)',
    category: 'injection',
    cwe: [78],
    severity: 'high',
    confidence: 'medium',
    equivalents: { bandit: ['B601'], ruff: ['S601'] },
    messages: {
      dynamic: '`exec_command` runs a command line built at runtime in the remote shell',
    },
    docs: {
      why: "`SSHClient.exec_command` sends its command line to the remote user's login shell, which parses it. Data spliced into it can add `;`, `&&` or `$(...)` and run other commands on the remote machine.",
      example:
        'import paramiko\n\ndef disk_usage(client: paramiko.SSHClient, directory):\n    client.exec_command("du -sh " + directory)',
      fix: 'Quote every value with `shlex.quote` (the remote shell is almost always a POSIX shell), or check it against a strict pattern before use.\n\n```python\nimport shlex\nimport paramiko\n\ndef disk_usage(client: paramiko.SSHClient, directory):\n    client.exec_command("du -sh " + shlex.quote(directory))\n```',
      knownProblems:
        'Bandit reports every `exec_command` call; this rule stays quiet on literal commands and on values that pass through `shlex.quote`.',
      references: [
        'https://docs.paramiko.org/en/stable/api/client.html#paramiko.client.SSHClient.exec_command',
        'https://docs.python.org/3/library/shlex.html#shlex.quote',
        'https://cwe.mitre.org/data/definitions/78.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      if (!isParamikoExec(context, node)) return;
      const command = context.argument(node, 0, 'command');
      const evidence = command && originEvidence(context, command, 'command');
      if (evidence) context.report({ node, messageId: 'dynamic', ...evidence });
    },
  },
  tests: {
    valid: [
      'import paramiko\nclient.exec_command("uptime")',
      'runner.exec_command(cmd)',
      'import paramiko\nCMD = "df -h"\nclient.exec_command(CMD)',
    ],
    invalid: [
      {
        code: 'import paramiko\nclient.exec_command("du -sh " + directory)',
        errors: [{ messageId: 'dynamic', line: 2, confidence: 'medium' }],
      },
      {
        code: 'import paramiko as pm\nssh = pm.SSHClient()\nstdin, stdout, stderr = ssh.exec_command(f"cat {path}")',
        errors: [{ messageId: 'dynamic', line: 3 }],
      },
      {
        code: 'from paramiko import SSHClient\ndef run(c: SSHClient, cmd):\n    return c.exec_command(command=cmd)',
        errors: [{ messageId: 'dynamic', line: 3 }],
      },
    ],
  },
});
