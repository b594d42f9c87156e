import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { methodName } from '../../engine/calls.js';

/** Where a call takes its command: a position and the keyword it may be passed as. */
export interface CommandArgument {
  position: number;
  keyword?: string;
}

/** Where a shell sink takes its command line; some take it by keyword only (`bash_command=`). */
type ShellArgument = Partial<CommandArgument>;

/** subprocess functions that take an argv, or a shell command line with `shell=True`. */
export const SUBPROCESS_FUNCTIONS: ReadonlySet<string> = new Set([
  'subprocess.Popen',
  'subprocess.call',
  'subprocess.check_call',
  'subprocess.check_output',
  'subprocess.run',
]);

/** Where Airflow has kept its `BashOperator` across versions. */
export const AIRFLOW_BASH_OPERATORS = [
  'airflow.operators.bash.BashOperator',
  'airflow.operators.bash_operator.BashOperator',
  'airflow.providers.standard.operators.bash.BashOperator',
];

/** Functions that always hand their command line to a shell. */
export const SHELL_FUNCTIONS: ReadonlyMap<string, ShellArgument> = new Map<string, ShellArgument>([
  ['asyncio.create_subprocess_shell', { position: 0, keyword: 'cmd' }],
  ['commands.getoutput', { position: 0, keyword: 'cmd' }],
  ['commands.getstatusoutput', { position: 0, keyword: 'cmd' }],
  ['os.popen', { position: 0, keyword: 'cmd' }],
  ['os.popen2', { position: 0, keyword: 'cmd' }],
  ['os.popen3', { position: 0, keyword: 'cmd' }],
  ['os.popen4', { position: 0, keyword: 'cmd' }],
  ['os.system', { position: 0, keyword: 'command' }],
  ['platform.popen', { position: 0, keyword: 'cmd' }],
  ['popen2.Popen3', { position: 0, keyword: 'cmd' }],
  ['popen2.Popen4', { position: 0, keyword: 'cmd' }],
  ['popen2.popen2', { position: 0, keyword: 'cmd' }],
  ['popen2.popen3', { position: 0, keyword: 'cmd' }],
  ['popen2.popen4', { position: 0, keyword: 'cmd' }],
  ['subprocess.getoutput', { position: 0, keyword: 'cmd' }],
  ['subprocess.getstatusoutput', { position: 0, keyword: 'cmd' }],
  // Airflow hands `bash_command` to `bash -c` when the task runs.
  ...AIRFLOW_BASH_OPERATORS.map((name) => [name, { keyword: 'bash_command' }] as const),
]);

/** `loop.subprocess_shell(protocol_factory, cmd)`: an event-loop method, matched by name. */
const SHELL_METHODS: ReadonlyMap<string, CommandArgument> = new Map([
  ['subprocess_shell', { position: 1, keyword: 'cmd' }],
]);

const EXEC_VARIANTS = ['l', 'le', 'lp', 'lpe', 'v', 've', 'vp', 'vpe'];

/**
 * os functions that replace or spawn a process without a shell, by where the program path is
 * (`spawn*` take a mode first).
 */
export const EXEC_FUNCTIONS: ReadonlyMap<string, CommandArgument> = new Map([
  ...EXEC_VARIANTS.map((v) => [`os.exec${v}`, { position: 0, keyword: 'path' }] as const),
  ...EXEC_VARIANTS.map((v) => [`os.spawn${v}`, { position: 1, keyword: 'path' }] as const),
  ['os.posix_spawn', { position: 0, keyword: 'path' }],
  ['os.posix_spawnp', { position: 0, keyword: 'file' }],
  ['os.startfile', { position: 0, keyword: 'path' }],
]);

/** The shell sink a call is, with its display name and command argument. */
export interface ShellCall {
  name: string;
  command: SyntaxNode;
}

/** A call to a function that always runs its command through a shell, with that command. */
export function shellCall(context: RuleContext, call: SyntaxNode): ShellCall | undefined {
  const callee = context.calleeName(call);
  const known = callee ? SHELL_FUNCTIONS.get(callee) : undefined;
  const method = methodName(call);
  const byMethod = !known && method ? SHELL_METHODS.get(method) : undefined;
  const where = known ?? byMethod;
  const command = where && context.argument(call, where.position, where.keyword);
  if (!command) return undefined;
  return { name: known ? callee! : `.${method}()`, command };
}

/** True when a call passes `shell=` with a value that is not an explicit opt-out. */
export function passesShell(context: RuleContext, call: SyntaxNode): boolean {
  const shell = context.keywordArgument(call, 'shell');
  if (!shell) return false;
  // `shell=False`, `shell=0` and `shell=None` are explicit opt-outs.
  const value = context.literalValue(shell);
  return !(value === false || value === 0 || value === null);
}

/**
 * The words of a literal command: a command line split at white space, or the items of a
 * literal argv list. Undefined when the command is not a constant.
 */
export function literalCommandWords(context: RuleContext, command: SyntaxNode): string[] | undefined {
  const value = context.literalValue(command);
  if (typeof value === 'string')
    return value
      .trim()
      .split(/\s+/)
      .filter((w) => w.length > 0);
  if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) return value;
  return undefined;
}
