import { calleeLastName } from '../../engine/calls.js';
import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';

type MessageId = 'worldWritable' | 'worldReadableExecutable' | 'worldWritableCreation' | 'uploadPermissions';

/** Permission bits of the `stat` module, by name. */
const STAT_BITS: Record<string, number> = {
  S_ISUID: 0o4000,
  S_ISGID: 0o2000,
  S_ISVTX: 0o1000,
  S_IRWXU: 0o700,
  S_IRUSR: 0o400,
  S_IWUSR: 0o200,
  S_IXUSR: 0o100,
  S_IREAD: 0o400,
  S_IWRITE: 0o200,
  S_IEXEC: 0o100,
  S_IRWXG: 0o070,
  S_IRGRP: 0o040,
  S_IWGRP: 0o020,
  S_IXGRP: 0o010,
  S_IRWXO: 0o007,
  S_IROTH: 0o004,
  S_IWOTH: 0o002,
  S_IXOTH: 0o001,
};
const WORLD_WRITE = 0o002;
const WORLD_READ_EXECUTE = 0o005;
/** Functions taking a mode, and where: `os.chmod(path, mode)`. */
const MODE_FUNCTIONS = new Set(['os.chmod', 'os.fchmod', 'os.lchmod']);
/** Functions that create a file or directory with a mode, and where they take it (the umask still applies). */
const CREATING_FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ['os.makedirs', 1],
  ['os.mkdir', 1],
  ['os.mkfifo', 1],
  ['os.mknod', 1],
  ['os.open', 2],
]);
/** `Path(...).mkdir(mode=…)` and `.touch(mode=…)`: methods that take the mode first. */
const CREATING_METHODS = new Set(['mkdir', 'touch']);
/** Django applies these with `os.chmod` after saving an upload, so no umask narrows them. */
const UPLOAD_SETTINGS = new Set(['FILE_UPLOAD_PERMISSIONS', 'FILE_UPLOAD_DIRECTORY_PERMISSIONS']);

/** The numeric mode of an expression built from literals and `stat.S_I*` names with `|` and `+`. */
function modeValue(node: SyntaxNode | undefined, context: RuleContext<MessageId>): number | undefined {
  if (!node) return undefined;
  if (node.type === 'parenthesized_expression') return modeValue(node.namedChildren[0], context);
  if (node.type === 'binary_operator') {
    const operator = node.childForFieldName('operator')?.type;
    const left = modeValue(node.childForFieldName('left') ?? undefined, context);
    const right = modeValue(node.childForFieldName('right') ?? undefined, context);
    if (left === undefined || right === undefined) return undefined;
    if (operator === '|') return left | right;
    if (operator === '+') return left + right;
    return undefined;
  }
  const name = context.qualifiedName(node);
  if (name?.startsWith('stat.')) return STAT_BITS[name.slice('stat.'.length)];
  const value = context.literalValue(node);
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** A world-writable mode given to a call that creates a file or directory; true when the call is one. */
function checkCreation(call: SyntaxNode, context: RuleContext<MessageId>): boolean {
  const qualified = context.calleeName(call);
  const position = qualified ? CREATING_FUNCTIONS.get(qualified) : undefined;
  const fnNode = call.childForFieldName('function');
  const method = fnNode?.type === 'attribute' ? fnNode.childForFieldName('attribute')?.text : undefined;
  const isMethod = position === undefined && method !== undefined && CREATING_METHODS.has(method);
  if (position === undefined && !isMethod) return false;
  // `os.makedirs(p, 0o777)` and `os.open(p, flags, 0o666)` restate what `mkdir` and `open()` do
  // by default and leave the decision to the umask: low severity and confidence.
  const mode = modeValue(
    isMethod ? context.argument(call, 0, 'mode') : context.argument(call, position, 'mode'),
    context,
  );
  if (mode === undefined || !(mode & WORLD_WRITE)) return true;
  const fn = isMethod ? fnNode!.text : qualified!;
  const createsDirectory = qualified === 'os.makedirs' || qualified === 'os.mkdir' || method === 'mkdir';
  const defaultMode = mode === (createsDirectory ? 0o777 : 0o666);
  context.report({
    node: call,
    messageId: 'worldWritableCreation',
    data: { fn, mode: `0o${mode.toString(8)}` },
    severity: defaultMode ? 'low' : 'medium',
    confidence: defaultMode ? 'low' : 'medium',
  });
  return true;
}

export default createRule({
  id: 'insecure-file-permissions',
  meta: {
    title: 'File permissions open to every user',
    category: 'hardening',
    cwe: [732],
    severity: 'high',
    confidence: 'high',
    equivalents: { bandit: ['B103'], ruff: ['S103'] },
    messages: {
      worldWritable: '`{{fn}}` sets mode `{{mode}}`, which lets every user on the machine modify the file',
      worldWritableCreation:
        '`{{fn}}` creates the file or directory with mode `{{mode}}`, world-writable wherever the umask does not remove it (a umask of 0 is common in containers and services)',
      uploadPermissions:
        '`{{setting}}` is `{{mode}}`, so every uploaded file or directory can be modified by every user',
      worldReadableExecutable:
        '`{{fn}}` sets mode `{{mode}}`, which lets every user on the machine read and run the file',
    },
    docs: {
      why: "A world-writable file (`o+w`) can be changed by any local user or compromised service: scripts, configuration and libraries become a way to run code as whoever uses them. World-readable and executable modes expose the file's contents (keys, credentials, internal code) to every account on the machine.",
      example: 'import os\n\nos.chmod("/etc/myapp/hooks/deploy.sh", 0o777)',
      fix: 'Grant only the owner (and, where needed, the group) the access it needs: `0o600` for data and secrets, `0o700` or `0o750` for executables and directories.\n\n```python\nimport os\n\nos.chmod("/etc/myapp/hooks/deploy.sh", 0o750)\n```',
      knownProblems:
        "Only modes known at analysis time are checked: integer literals and combinations of `stat.S_I*` constants with `|` or `+`, directly or through a constant name. World-writable modes are reported at high severity; world-readable-and-executable ones (`0o755`, common for scripts and directories) at low severity, since they matter only for files that hold something secret. Bandit and Ruff instead report any group-executable mode at medium severity. World-writable modes given when creating a file or directory (`os.makedirs`, `os.mkdir`, `os.open`, `os.mkfifo`, `os.mknod`, `Path.mkdir`, `Path.touch`) are reported at medium severity, since the process umask usually removes the write bit; `0o777` for a directory and `0o666` for a file, which only restate what `mkdir` and `open()` do by default, at low severity and low confidence. Django's `FILE_UPLOAD_PERMISSIONS` and `FILE_UPLOAD_DIRECTORY_PERMISSIONS` are applied with `chmod`, so a world-writable value there is reported at high severity.",
      references: [
        'https://cwe.mitre.org/data/definitions/732.html',
        'https://docs.python.org/3/library/os.html#os.chmod',
        'https://docs.python.org/3/library/stat.html',
      ],
    },
  },
  visitors: {
    assignment(node, context) {
      const left = node.childForFieldName('left');
      if (left?.type !== 'identifier' || !UPLOAD_SETTINGS.has(left.text)) return;
      const mode = modeValue(node.childForFieldName('right') ?? undefined, context);
      if (mode !== undefined && mode & WORLD_WRITE)
        context.report({
          node,
          messageId: 'uploadPermissions',
          data: { setting: left.text, mode: `0o${mode.toString(8)}` },
        });
    },
    call(node, context) {
      if (checkCreation(node, context)) return;
      const fnNode = node.childForFieldName('function');
      // Asked of every call: the callee's last name is read in passing, its whole text is not.
      if (!fnNode || !calleeLastName(node)?.endsWith('chmod')) return;
      const qualified = context.calleeName(node);
      // `Path(...).chmod(mode)`: any other receiver's `chmod` method takes the mode first.
      const isOsFunction = qualified !== undefined && MODE_FUNCTIONS.has(qualified);
      if (
        !isOsFunction &&
        (fnNode.type !== 'attribute' ||
          fnNode.childForFieldName('attribute')?.text !== 'chmod' ||
          qualified?.startsWith('os.'))
      )
        return;
      const mode = modeValue(
        isOsFunction ? context.argument(node, 1, 'mode') : context.argument(node, 0, 'mode'),
        context,
      );
      if (mode === undefined) return;
      const fn = isOsFunction ? qualified : fnNode.text;
      const shown = `0o${mode.toString(8)}`;
      if (mode & WORLD_WRITE) context.report({ node, messageId: 'worldWritable', data: { fn, mode: shown } });
      else if ((mode & WORLD_READ_EXECUTE) === WORLD_READ_EXECUTE)
        context.report({
          node,
          messageId: 'worldReadableExecutable',
          data: { fn, mode: shown },
          severity: 'low',
          confidence: 'medium',
        });
    },
  },
  tests: {
    valid: [
      'import os\nos.chmod(path, 0o600)',
      'import os, stat\nos.chmod(path, stat.S_IRUSR | stat.S_IWUSR)',
      'import os\nos.chmod(path, mode)',
      'from pathlib import Path\nPath("key.pem").chmod(0o640)',
      'import os\nos.chmod(path, 0o750)',
      'import os\nos.makedirs(path, mode=0o700, exist_ok=True)',
      'import os\nfd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)',
      'FILE_UPLOAD_PERMISSIONS = 0o644\nFILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o755',
      'from pathlib import Path\nPath(cache).mkdir(parents=True, exist_ok=True)',
    ],
    invalid: [
      {
        code: 'import os\nos.chmod("/tmp/run.sh", 0o777)',
        errors: [{ messageId: 'worldWritable', line: 2, message: '`0o777`' }],
      },
      {
        code: 'import os\nimport stat\nos.chmod(path, stat.S_IRWXU | stat.S_IWOTH)',
        errors: [{ messageId: 'worldWritable', message: '`0o702`' }],
      },
      {
        code: 'from os import fchmod\nMODE = 0o666\nfchmod(fd, MODE)',
        errors: [{ messageId: 'worldWritable', message: 'os.fchmod' }],
      },
      { code: 'from pathlib import Path\nPath(p).chmod(mode=0o757)', errors: [{ messageId: 'worldWritable' }] },
      {
        code: 'import os\nos.makedirs("/srv/shared/uploads", mode=0o777, exist_ok=True)',
        errors: [{ messageId: 'worldWritableCreation', severity: 'low', confidence: 'low', message: 'os.makedirs' }],
      },
      {
        code: 'import os\nimport stat\nfd = os.open(path, os.O_CREAT | os.O_WRONLY, stat.S_IRUSR | stat.S_IWUSR | stat.S_IWOTH)',
        errors: [{ messageId: 'worldWritableCreation', confidence: 'medium', message: '`0o602`' }],
      },
      {
        code: 'from pathlib import Path\nPath(spool).mkdir(mode=0o1777)\nPath(sock_path).touch(mode=0o666)',
        errors: [
          { messageId: 'worldWritableCreation', line: 2, severity: 'medium' },
          { messageId: 'worldWritableCreation', line: 3, severity: 'low', message: '`0o666`' },
        ],
      },
      {
        code: 'FILE_UPLOAD_PERMISSIONS = 0o666\nFILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o777',
        errors: [
          { messageId: 'uploadPermissions', line: 1, message: '`0o666`' },
          { messageId: 'uploadPermissions', line: 2 },
        ],
      },
      {
        code: 'import os\nos.chmod(script, 0o755)',
        errors: [{ messageId: 'worldReadableExecutable', severity: 'low' }],
      },
      {
        code: 'from stat import S_IRWXU, S_IROTH, S_IXOTH\nfrom pathlib import Path\nPath(p).chmod(S_IRWXU | S_IROTH | S_IXOTH)',
        errors: [{ messageId: 'worldReadableExecutable' }],
      },
    ],
  },
});
