import { createRule } from '../create-rule.js';
import { originEvidence } from '../support/command-origin.js';
import { passesShell, SUBPROCESS_FUNCTIONS } from '../support/command-sinks.js';

/** Sources that are the program's own operator: a command-line tool running what its user typed. */
const OPERATOR_SOURCES = /^(sys\.argv|input\(\)|command-line arguments)/;

export default createRule({
  id: 'subprocess-without-shell',
  meta: {
    title: 'Untrusted data in a subprocess argv',
    category: 'injection',
    cwe: [88],
    severity: 'medium',
    confidence: 'high',
    equivalents: { bandit: ['B603'], ruff: ['S603'] },
    messages: {
      untrusted: '`{{fn}}` starts a process whose argv contains {{source}}',
    },
    docs: {
      why: 'Without a shell, metacharacters in an argument are harmless, but the program still parses its own argv. Untrusted data that starts with `-` is read as an option (`--upload-pack=…` for git, `-oProxyCommand=…` for ssh, `--to-command` for tar), and untrusted data in the first position chooses the program.',
      example:
        'import subprocess\nfrom flask import request\n\ndef clone():\n    subprocess.run(["git", "clone", request.args["repo"]])',
      fix: 'Keep the program fixed and choose the values it receives from an allow-list (or validate them strictly: a URL scheme, a file inside a directory); end the options with `--` so that no value can be read as an option.\n\n```python\nimport subprocess\nfrom flask import abort, request\n\nREPOSITORIES = {"docs": "https://github.com/example/docs.git"}\n\ndef clone():\n    name = request.args["repo"]\n    if name not in REPOSITORIES:\n        abort(400)\n    subprocess.run(["git", "clone", "--", REPOSITORIES[name]])\n```',
      knownProblems:
        "Narrower than Bandit and Ruff, which report every subprocess call without a shell: this rule reports only when the argv is not a constant and the taint analysis traces part of it to a known untrusted source (request data, `sys.argv`, `input()`, …). Data of unknown origin is not reported, since argv built from variables is how most correct code looks. Arguments from the program's own operator (`sys.argv`, `argparse`, `input()`) are reported at low severity and medium confidence: a command-line tool that runs what its user typed is doing its job, but an option-shaped value can still surprise it.",
      references: [
        'https://docs.python.org/3/library/subprocess.html#security-considerations',
        'https://cwe.mitre.org/data/definitions/88.html',
        'https://owasp.org/www-community/attacks/Command_Injection',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = context.calleeName(node);
      if (!fn || !SUBPROCESS_FUNCTIONS.has(fn) || passesShell(context, node)) return;
      const argv = context.argument(node, 0, 'args');
      if (!argv || context.isConstant(argv)) return;
      const evidence = originEvidence(context, argv, 'command');
      if (evidence?.kind !== 'source') return;
      const source = context.origin(argv, 'command').source ?? 'untrusted data';
      // Operator input is not attacker input: a script that runs the file its user named is doing its job.
      const operator = OPERATOR_SOURCES.test(source) ? { severity: 'low' as const, confidence: 'medium' as const } : {};
      context.report({ node, messageId: 'untrusted', data: { fn, source }, ...evidence, ...operator });
    },
  },
  tests: {
    valid: [
      'import subprocess\nsubprocess.run(["git", "status"])',
      'import subprocess\ndef f(path):\n    subprocess.run(["ls", path])',
      'import subprocess\nfrom flask import request\nsubprocess.run(request.args["cmd"], shell=True)',
      'import subprocess\nARGV = ["ls", "-l"]\nsubprocess.call(ARGV)',
    ],
    invalid: [
      {
        code: 'import subprocess\nfrom flask import request\n\ndef clone():\n    subprocess.run(["git", "clone", request.args["repo"]])',
        errors: [{ messageId: 'untrusted', line: 5, severity: 'high', confidence: 'high', message: 'request.args' }],
      },
      {
        code: 'import subprocess as sp\nimport sys\nsp.check_call(["convert", sys.argv[1], "out.png"])',
        errors: [{ messageId: 'untrusted', line: 3, message: 'sys.argv', severity: 'low', confidence: 'medium' }],
      },
      {
        code: 'from subprocess import Popen as P\nname = input("file? ")\nP(["cat", name])',
        errors: [{ messageId: 'untrusted', line: 3, severity: 'low' }],
      },
      {
        code: 'import argparse\nimport subprocess\nargs = argparse.ArgumentParser().parse_args()\nsubprocess.run(["pg_dump", args.database])',
        errors: [{ messageId: 'untrusted', line: 4, severity: 'low', confidence: 'medium' }],
      },
      {
        code: 'import subprocess\nfrom django.http import HttpResponse\n\ndef ping(request):\n    out = subprocess.check_output(["ping", "-c1", request.GET["host"]])\n    return HttpResponse(out)',
        errors: [{ messageId: 'untrusted', line: 5, severity: 'high' }],
      },
    ],
  },
});
