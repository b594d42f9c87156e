import type { SyntaxNode } from '../../engine/types.js';
import type { RuleContext } from '../../engine/context.js';
import { createRule } from '../create-rule.js';
import { originEvidence } from '../support/command-origin.js';
import { AIRFLOW_BASH_OPERATORS, shellCall, SUBPROCESS_FUNCTIONS } from '../support/command-sinks.js';

type MessageId = 'dynamic' | 'literal' | 'shellKeyword' | 'airflowTemplate';

/** Jinja fields of an Airflow task that whoever triggers the DAG run chooses. */
const TRIGGER_FIELDS = /\{\{[^}]*\b(dag_run\.conf|params)\b[^}]*\}\}/;

/**
 * `shell=True` passed to something that is not `subprocess` (a wrapper, a task runner, a
 * fabric/invoke call): reported when the first argument is data, since that is usually the
 * command line the wrapper hands to a shell.
 */
function checkShellKeyword(node: SyntaxNode, context: RuleContext<MessageId>): void {
  const fn = context.calleeName(node) ?? node.childForFieldName('function')?.text ?? 'call';
  if (SUBPROCESS_FUNCTIONS.has(fn)) return;
  const shell = context.keywordArgument(node, 'shell');
  if (!shell || context.literalValue(shell) !== true) return;
  const command = context.positionalArguments(node)[0];
  if (!command || context.isConstant(command)) return;
  const evidence = originEvidence(context, command, 'command');
  if (!evidence) return;
  const display = fn.startsWith('<local>.') ? fn.slice('<local>.'.length) : fn;
  context.report({
    node,
    messageId: 'shellKeyword',
    data: { fn: display },
    severity: 'medium',
    confidence: 'low',
    ...(evidence.kind === 'source' ? evidence : {}),
  });
}

export default createRule({
  id: 'os-command-injection',
  meta: {
    title: 'Command line run through a shell',
    category: 'injection',
    cwe: [78],
    severity: 'high',
    confidence: 'medium',
    equivalents: { bandit: ['B604', 'B605'], ruff: ['S604', 'S605'] },
    messages: {
      dynamic: '`{{fn}}` runs a command line built at runtime through a shell',
      literal: '`{{fn}}` runs a literal command line through a shell',
      airflowTemplate:
        '`{{fn}}` renders `{{field}}` into its bash command: whoever triggers the DAG run with a conf or params chooses part of the command line',
      shellKeyword: '`{{fn}}` is called with `shell=True` and a command built at runtime',
    },
    docs: {
      why: '`os.system`, `os.popen`, `subprocess.getoutput`, `asyncio.create_subprocess_shell` and their relatives always hand the command line to `/bin/sh` (or `cmd.exe`). Any part of it that comes from outside can add `;`, `&&`, `|`, `$(...)` or backticks and run other commands with the privileges of the process.',
      example: 'import os\n\ndef convert(filename):\n    os.system("convert " + filename + " out.png")',
      fix: 'Run the program with an argument list through `subprocess.run`, which starts it without a shell; if a shell is unavoidable, quote every value with `shlex.quote`.\n\n```python\nimport subprocess\n\ndef convert(filename):\n    subprocess.run(["convert", filename, "out.png"], check=True)\n```',
      knownProblems:
        "A literal command line cannot be injected; it is still reported at low severity, because shell syntax tends to attract interpolation later. `shell=True` on a function other than `subprocess` is reported only when the first argument is data, at low confidence: the rule cannot know what the function does with it. Values that pass through `shlex.quote` are not reported. Airflow's `BashOperator(bash_command=…)` runs through `bash -c`: a command built at parse time (f-string, `%`, `+`) is reported like any other, a literal one only when it renders `{{ dag_run.conf… }}` or `{{ params… }}`, which whoever triggers the run chooses, and other literal commands (`{{ ds }}`) not at all.",
      references: [
        'https://docs.python.org/3/library/os.html#os.system',
        'https://docs.python.org/3/library/subprocess.html#security-considerations',
        'https://docs.python.org/3/library/shlex.html#shlex.quote',
        'https://cwe.mitre.org/data/definitions/78.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const sink = shellCall(context, node);
      if (!sink) {
        checkShellKeyword(node, context);
        return;
      }
      if (context.isConstant(sink.command)) {
        if (!AIRFLOW_BASH_OPERATORS.includes(sink.name)) {
          context.report({ node, messageId: 'literal', data: { fn: sink.name }, severity: 'low', confidence: 'high' });
          return;
        }
        // A fixed bash command is what BashOperator is for; a Jinja field filled from the run's conf is not fixed.
        const field = TRIGGER_FIELDS.exec(context.stringValue(sink.command) ?? '');
        if (field)
          context.report({
            node,
            messageId: 'airflowTemplate',
            data: { fn: sink.name, field: field[0] },
            severity: 'high',
          });
        return;
      }
      const evidence = originEvidence(context, sink.command, 'command');
      if (evidence) context.report({ node, messageId: 'dynamic', data: { fn: sink.name }, ...evidence });
    },
  },
  tests: {
    valid: [
      'import subprocess\nsubprocess.run(["convert", filename, "out.png"])',
      'import subprocess\nsubprocess.run(cmd, shell=True)',
      'def system(cmd):\n    pass\nsystem(cmd)',
      'import os\nos.path.join(base, name)',
      'fabric.run("uptime", shell=True)',
      'runner.run(cmd, shell=False)',
      'import os, shlex\ndef show(path):\n    os.system("ls -l " + shlex.quote(path))',
      'from airflow.operators.bash import BashOperator\nBashOperator(task_id="report", bash_command="python /opt/jobs/report.py {{ ds }}")',
      'import asyncio, shlex\n\nasync def ping(host):\n    proc = await asyncio.create_subprocess_shell("ping -c 1 " + shlex.quote(host))\n    return await proc.wait()',
      'import asyncio\nfrom flask import request\n\nasync def tail():\n    lines = int(request.args["n"])\n    return await asyncio.create_subprocess_shell(f"tail -n {lines} /var/log/app.log")',
      'import asyncio\n\nasync def convert(src, dst):\n    return await asyncio.create_subprocess_exec("ffmpeg", "-i", src, dst)',
      'import asyncio, shlex\n\nasync def run(argv):\n    return await asyncio.create_subprocess_shell(shlex.join(argv), stdout=asyncio.subprocess.PIPE)',
      'async def create_subprocess_shell(cmd):\n    return cmd\n\nasync def f(user_cmd):\n    await create_subprocess_shell(user_cmd)',
      'from airflow.operators.bash import BashOperator\nBashOperator(task_id="load", bash_command="/opt/etl/load.sh {{ ds_nodash }} {{ ti.try_number }}")',
      'from airflow.operators.bash import BashOperator\nBashOperator(task_id="env", bash_command="echo $TARGET", env={"TARGET": "{{ dag_run.conf[\'target\'] }}"})',
      'from airflow.operators.bash import BashOperator\nBashOperator(task_id="dbt", bash_command="cd /opt/dbt && dbt run --target prod", cwd="/opt/dbt")',
      'from airflow.operators.bash import BashOperator\nimport shlex\n\ndef task(folder):\n    return BashOperator(task_id="ls", bash_command="ls " + shlex.quote(folder))',
    ],
    invalid: [
      {
        code: 'import os\nos.system("convert " + filename + " out.png")',
        errors: [{ messageId: 'dynamic', line: 2, severity: 'high', confidence: 'medium' }],
      },
      {
        code: 'from os import system as run\nrun(f"rm -rf {path}")',
        errors: [{ messageId: 'dynamic', message: 'os.system' }],
      },
      { code: 'import os\nos.system("ls -l /tmp")', errors: [{ messageId: 'literal', severity: 'low' }] },
      {
        code: 'import os\nfrom flask import request\ndef convert():\n    os.system("convert " + request.form["file"])',
        errors: [{ messageId: 'dynamic', line: 4, severity: 'high', confidence: 'high' }],
      },
      {
        code: 'import subprocess as sp\nout = sp.getoutput("git log " + ref)',
        errors: [{ messageId: 'dynamic', message: 'subprocess.getoutput' }],
      },
      {
        code: 'import os\nwith os.popen(cmd) as pipe:\n    pipe.read()',
        errors: [{ messageId: 'dynamic', message: 'os.popen' }],
      },
      {
        code: 'import asyncio\nasync def f(host):\n    await asyncio.create_subprocess_shell("ping -c1 " + host)',
        errors: [{ messageId: 'dynamic', line: 3 }],
      },
      {
        code: 'async def f(loop, cmd):\n    await loop.subprocess_shell(Protocol, cmd)',
        errors: [{ messageId: 'dynamic', message: '.subprocess_shell()' }],
      },
      { code: 'import commands\ncommands.getstatusoutput("du -sh %s" % d)', errors: [{ messageId: 'dynamic' }] },
      {
        code: 'from invoke import run\nrun("make " + target, shell=True)',
        errors: [{ messageId: 'shellKeyword', severity: 'medium', confidence: 'low', message: 'invoke.run' }],
      },
      {
        code: 'from airflow.operators.bash import BashOperator\nBashOperator(task_id="sync", bash_command=f"rsync -a {source} {target}")',
        errors: [{ messageId: 'dynamic', line: 2, message: 'airflow.operators.bash.BashOperator' }],
      },
      {
        code: 'from airflow.operators.bash import BashOperator\nclean = BashOperator(\n    task_id="clean",\n    bash_command="rm -rf /data/{{ dag_run.conf[\'folder\'] }}",\n)',
        errors: [{ messageId: 'airflowTemplate', line: 2, severity: 'high', message: "dag_run.conf['folder']" }],
      },
      {
        code: 'def execute(cmd, shell):\n    pass\nexecute(cmd, shell=True)',
        errors: [{ messageId: 'shellKeyword', message: '`execute`' }],
      },
      {
        code: 'import asyncio\nfrom flask import request\n\nasync def lookup():\n    domain = request.args["domain"]\n    proc = await asyncio.create_subprocess_shell(f"nslookup {domain}", stdout=asyncio.subprocess.PIPE)\n    out, _ = await proc.communicate()\n    return out',
        errors: [{ messageId: 'dynamic', line: 6, confidence: 'high', message: 'asyncio.create_subprocess_shell' }],
      },
      {
        code: 'from asyncio import create_subprocess_shell\n\nasync def archive(request):\n    name = request.POST["name"]\n    await create_subprocess_shell("tar czf /backups/%s.tgz /srv/data" % name)',
        errors: [{ messageId: 'dynamic', line: 5, confidence: 'high' }],
      },
      {
        code: 'import asyncio\n\nasync def run_hook(hook):\n    cmd = " ".join(["sh", hook.script, hook.args])\n    return await asyncio.create_subprocess_shell(cmd)',
        errors: [{ messageId: 'dynamic', line: 5, confidence: 'medium' }],
      },
      {
        code: 'import asyncio\n\nasync def grep(pattern, path):\n    return await asyncio.create_subprocess_shell(cmd="grep -r \'{}\' {}".format(pattern, path))',
        errors: [{ messageId: 'dynamic', line: 4 }],
      },
      {
        code: 'from airflow.operators.bash import BashOperator\n\ndef make_task(table):\n    return BashOperator(task_id=f"export_{table}", bash_command="pg_dump -t " + table + " > /tmp/out.sql")',
        errors: [{ messageId: 'dynamic', line: 4 }],
      },
      {
        code: 'from airflow.operators.bash_operator import BashOperator\nrun = BashOperator(task_id="run", bash_command="python /opt/run.py --user {{ params.user }}")',
        errors: [{ messageId: 'airflowTemplate', line: 2, message: 'params.user' }],
      },
      {
        code: 'from airflow.providers.standard.operators.bash import BashOperator\nBashOperator(task_id="ping", bash_command="ping -c1 %s" % HOST_FROM_VARIABLE)',
        errors: [{ messageId: 'dynamic', line: 2, message: 'airflow.providers.standard.operators.bash.BashOperator' }],
      },
    ],
  },
});
