import type { SyntaxNode } from '../../engine/types.js';
import type { RuleContext } from '../../engine/context.js';
import { createRule } from '../create-rule.js';
import {
  EXEC_FUNCTIONS,
  literalCommandWords,
  passesShell,
  shellCall,
  SUBPROCESS_FUNCTIONS,
} from '../support/command-sinks.js';

/** `/usr/bin/tar`, `\\\\server\\share\\tool.exe`, `C:\\tools\\x.exe`. */
const ABSOLUTE_PATH = /^(?:\/|\\|[A-Za-z]:[\\/])/;

/** Shell builtins: a shell runs them itself, without looking anything up on PATH. */
const SHELL_BUILTINS = new Set([
  '.',
  ':',
  '[',
  'cd',
  'command',
  'echo',
  'eval',
  'exit',
  'export',
  'false',
  'printf',
  'pwd',
  'read',
  'set',
  'test',
  'true',
  'type',
  'ulimit',
  'umask',
  'unset',
]);

/** The program word of a shell command line: past `(` groups and `NAME=value` assignments. */
function shellProgram(words: string[]): string | undefined {
  const program = words
    .map((word) => word.replace(/^[({]+|[)};]+$/g, ''))
    .find((word) => word.length > 0 && !/^\w+=/.test(word));
  return program && !SHELL_BUILTINS.has(program) ? program : undefined;
}

/** The literal program a call starts, with the call's name, when the command is a constant. */
function startedProgram(context: RuleContext, call: SyntaxNode): { fn: string; program: string } | undefined {
  const fn = context.calleeName(call);
  let command: SyntaxNode | undefined;
  let throughShell = false;
  if (fn && SUBPROCESS_FUNCTIONS.has(fn)) {
    command = context.argument(call, 0, 'args');
    throughShell = passesShell(context, call);
  } else if (fn && EXEC_FUNCTIONS.has(fn)) {
    const where = EXEC_FUNCTIONS.get(fn)!;
    command = context.argument(call, where.position, where.keyword);
  } else {
    command = shellCall(context, call)?.command;
    throughShell = true;
  }
  const words = command && literalCommandWords(context, command);
  const program = words && (throughShell ? shellProgram(words) : words[0]);
  return program ? { fn: fn ?? call.childForFieldName('function')!.text, program } : undefined;
}

export default createRule({
  id: 'subprocess-partial-path',
  meta: {
    title: 'Process started by a partial path',
    category: 'injection',
    cwe: [426],
    severity: 'low',
    confidence: 'high',
    equivalents: { bandit: ['B607'], ruff: ['S607'] },
    messages: {
      partial: '`{{fn}}` starts `{{program}}` by a partial path; whichever `{{program}}` comes first on PATH runs',
    },
    docs: {
      why: 'A program named without an absolute path is looked up in the directories of `PATH` (and, on Windows, the current directory first). Whoever can change `PATH` or write to one of its directories earlier in the list than the real program decides what runs.',
      example: 'import subprocess\n\nsubprocess.run(["git", "pull"])',
      fix: 'Name the program by its absolute path, or resolve it once at start-up with `shutil.which` and check the result.\n\n```python\nimport subprocess\n\nsubprocess.run(["/usr/bin/git", "pull"])\n```',
      knownProblems:
        'Only literal commands are checked. Scripts that run in a controlled environment (a container with a fixed PATH) may reasonably disable this rule.',
      references: [
        'https://docs.python.org/3/library/subprocess.html#popen-constructor',
        'https://docs.python.org/3/library/shutil.html#shutil.which',
        'https://cwe.mitre.org/data/definitions/426.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const started = startedProgram(context, node);
      if (started && !ABSOLUTE_PATH.test(started.program))
        context.report({ node, messageId: 'partial', data: started });
    },
  },
  tests: {
    valid: [
      'import subprocess\nsubprocess.run(["/usr/bin/git", "pull"])',
      'import subprocess\nsubprocess.run([git, "pull"])',
      'import os\nos.system("/bin/ls -l")',
      'import os\nos.execv("/usr/bin/env", ["env"])',
      'def run(args):\n    pass\nrun(["git", "pull"])',
      'import subprocess\nsubprocess.Popen(r"C:\\\\Tools\\\\x.exe")',
      'import os\nos.system("(/usr/bin/less) 2>/dev/null")',
      'import os\nos.popen("echo $HOME")',
    ],
    invalid: [
      {
        code: 'import subprocess\nsubprocess.run(["git", "pull"])',
        errors: [{ messageId: 'partial', line: 2, severity: 'low', message: '`git`' }],
      },
      {
        code: 'import subprocess as sp\nsp.check_output("ls -l", shell=True)',
        errors: [{ messageId: 'partial', message: '`ls`' }],
      },
      {
        code: 'from os import system as run\nrun("tar czf backup.tgz data")',
        errors: [{ messageId: 'partial', message: 'os.system' }],
      },
      {
        code: 'import os\nos.spawnlp(os.P_WAIT, "cp", "cp", src, dst)',
        errors: [{ messageId: 'partial', message: '`cp`' }],
      },
      {
        code: 'import os\nos.system("LANG=C (sort data.txt)")\nos.system("(less) < notes.txt")',
        errors: [
          { messageId: 'partial', message: '`sort`' },
          { messageId: 'partial', line: 3, message: '`less`' },
        ],
      },
      {
        code: 'import subprocess\nGIT = ("git", "status")\nsubprocess.call(GIT)',
        errors: [{ messageId: 'partial', line: 3 }],
      },
    ],
  },
});
