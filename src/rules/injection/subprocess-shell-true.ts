import { createRule } from '../create-rule.js';
import { originEvidence } from '../support/command-origin.js';
import { passesShell, SUBPROCESS_FUNCTIONS } from '../support/command-sinks.js';

export default createRule({
  id: 'subprocess-shell-true',
  meta: {
    title: 'Subprocess launched through a shell',
    category: 'injection',
    cwe: [78],
    severity: 'high',
    confidence: 'high',
    equivalents: { bandit: ['B602'], ruff: ['S602'] },
    messages: {
      dynamic: '`{{fn}}` runs a command built at runtime through a shell (`shell=True`)',
      literal: '`{{fn}}` runs a literal command through a shell (`shell=True`)',
    },
    docs: {
      why: 'With `shell=True` the command string is interpreted by `/bin/sh`. Any part of it that comes from a user can add `;`, `|`, `$(...)` or backticks and run arbitrary commands with the privileges of the process.',
      example: 'import subprocess\n\ndef archive(name):\n    subprocess.run(f"tar czf {name}.tgz data/", shell=True)',
      fix: 'Pass the command as a list of arguments and leave `shell` at its default of `False`; no shell ever parses the input.\n\n```python\nimport subprocess\n\ndef archive(name):\n    subprocess.run(["tar", "czf", f"{name}.tgz", "data/"])\n```',
      knownProblems:
        'A literal command with `shell=True` cannot be injected; it is still reported, at low severity, because shell syntax tends to attract interpolation later. A command whose every value passes through `shlex.quote` is not reported.',
      references: [
        'https://docs.python.org/3/library/subprocess.html#security-considerations',
        'https://cwe.mitre.org/data/definitions/78.html',
        'https://owasp.org/www-community/attacks/Command_Injection',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = context.calleeName(node);
      if (!fn || !SUBPROCESS_FUNCTIONS.has(fn) || !passesShell(context, node)) return;
      const command = context.argument(node, 0, 'args');
      if (command && context.isConstant(command)) {
        context.report({ node, messageId: 'literal', data: { fn }, severity: 'low', confidence: 'high' });
        return;
      }
      // A command whose data all passes through `shlex.quote` cannot break out of its words.
      const evidence = command
        ? originEvidence(context, command, 'command')
        : { kind: 'unknown' as const, confidence: 'medium' as const };
      if (evidence) context.report({ node, messageId: 'dynamic', data: { fn }, ...evidence });
    },
  },
  tests: {
    valid: [
      'import subprocess\nsubprocess.run(["ls", "-l"])',
      'import subprocess\nsubprocess.run(cmd, shell=False)',
      'import subprocess as sp\nsp.check_call(["git", "status"])',
      'def run(cmd, shell):\n    pass\nrun(cmd, shell=True)',
      'import shlex, subprocess\ndef show(path):\n    subprocess.run("ls -l " + shlex.quote(path), shell=True)',
    ],
    invalid: [
      {
        code: 'from subprocess import Popen as P\nP(cmd, shell=True)',
        errors: [{ messageId: 'dynamic', line: 2, severity: 'high' }],
      },
      {
        code: 'import subprocess as sp\nsp.run(f"ls {path}", shell=True)',
        errors: [{ messageId: 'dynamic', line: 2 }],
      },
      {
        code: 'import subprocess\nsubprocess.call("ls -l" + " /tmp", shell=True)',
        errors: [{ messageId: 'literal', severity: 'low' }],
      },
      {
        code: 'import subprocess\nCMD = "ls"\ndef f():\n    subprocess.check_output(CMD, shell=True)',
        errors: [{ messageId: 'literal', line: 4 }],
      },
      {
        code: 'import subprocess\nfrom flask import request\ndef ping():\n    host = request.args["host"]\n    subprocess.run("ping -c 1 " + host, shell=True)',
        errors: [{ messageId: 'dynamic', line: 5, severity: 'high', confidence: 'high' }],
      },
    ],
  },
});
