import type { SyntaxNode } from '../../engine/types.js';
import type { RuleContext } from '../../engine/context.js';
import { createRule } from '../create-rule.js';
import { originEvidence } from '../support/command-origin.js';
import { EXEC_FUNCTIONS } from '../support/command-sinks.js';

/**
 * The arguments that choose the program and its argv: from the path on, without the trailing
 * environment of the `…e` variants and `posix_spawn*` (`spawn*` take a mode first).
 */
function programArguments(context: RuleContext, call: SyntaxNode, fn: string): SyntaxNode[] {
  const where = EXEC_FUNCTIONS.get(fn)!;
  const positional = context.positionalArguments(call);
  const takesEnvironment = /e$/.test(fn) || fn.startsWith('os.posix_spawn');
  const end = takesEnvironment && positional.length > where.position + 1 ? positional.length - 1 : positional.length;
  const path = context.keywordArgument(call, where.keyword!);
  return [...(path ? [path] : []), ...positional.slice(where.position, end)];
}

export default createRule({
  id: 'os-exec-spawn',
  meta: {
    title: 'Program chosen at runtime started by os.exec*/os.spawn*',
    category: 'injection',
    cwe: [78],
    severity: 'medium',
    confidence: 'medium',
    equivalents: { bandit: ['B606'], ruff: ['S606'] },
    messages: {
      dynamic: '`{{fn}}` starts a program whose path or arguments are built at runtime',
    },
    docs: {
      why: '`os.exec*`, `os.spawn*`, `os.posix_spawn*` and `os.startfile` start a program without a shell, so shell metacharacters are harmless, but whoever controls the path chooses the program, and whoever controls the arguments can pass options (`--output=/etc/…`, `-o ProxyCommand=…`) that make a harmless program do harm.',
      example: 'import os\n\ndef open_document(path):\n    os.startfile(path)',
      fix: 'Start only programs from a fixed list, by absolute path, and end the options with `--` before any value from outside so that it cannot be read as an option.\n\n```python\nimport subprocess\n\nVIEWER = "/usr/bin/xdg-open"\n\ndef open_document(path):\n    subprocess.run([VIEWER, "--", path], check=True)\n```',
      knownProblems:
        'Bandit reports every call to these functions; this rule stays quiet when the program and its arguments are literals.',
      references: [
        'https://docs.python.org/3/library/os.html#process-management',
        'https://cwe.mitre.org/data/definitions/78.html',
        'https://cwe.mitre.org/data/definitions/88.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = context.calleeName(node);
      if (!fn || !EXEC_FUNCTIONS.has(fn)) return;
      for (const argument of programArguments(context, node, fn)) {
        const evidence = originEvidence(context, argument, 'command');
        if (!evidence) continue;
        context.report({ node, messageId: 'dynamic', data: { fn }, ...evidence });
        return;
      }
    },
  },
  tests: {
    valid: [
      'import os\nos.execv("/usr/bin/env", ["env", "-i"])',
      'import os\nos.spawnl(os.P_WAIT, "/bin/true", "true")',
      'import os\nos.execve("/bin/ls", ["ls"], env)',
      'def startfile(p):\n    pass\nstartfile(path)',
    ],
    invalid: [
      { code: 'import os\nos.startfile(path)', errors: [{ messageId: 'dynamic', line: 2, message: 'os.startfile' }] },
      {
        code: 'from os import execvp as replace\nreplace(program, [program, "-v"])',
        errors: [{ messageId: 'dynamic', message: 'os.execvp' }],
      },
      {
        code: 'import os\nos.spawnv(os.P_NOWAIT, "/usr/bin/convert", ["convert", src, dst])',
        errors: [{ messageId: 'dynamic', confidence: 'medium' }],
      },
      {
        code: 'import os as o\no.execl("/bin/sh", "sh", "-c", script)',
        errors: [{ messageId: 'dynamic', message: 'os.execl' }],
      },
    ],
  },
});
