import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { hasNameWord, targetName } from '../support/secrets-names.js';

type MessageId = 'mktemp' | 'sharedTempPath';

/** World-writable directories where another user can create a file or symlink first. */
const SHARED_TEMP = /^(\/tmp|\/var\/tmp|\/dev\/shm)(\/|$)/;
/** Whether a file names a shared temporary directory anywhere: most files never do. */
const SHARED_TEMP_MENTION = /\/(tmp|var\/tmp|dev\/shm)\b/;
/** Calls that take a path first (only the ones that create, open or change files). */
const PATH_CALLS = new Set([
  'open',
  'io.open',
  'codecs.open',
  'os.open',
  'os.mkdir',
  'os.makedirs',
  'os.mkfifo',
  'os.mknod',
  'os.remove',
  'os.unlink',
  'os.rename',
  'os.replace',
  'os.symlink',
  'os.link',
  'os.chmod',
  'os.chown',
  'os.path.join',
  'os.path.exists',
  'os.path.isfile',
  'shutil.copy',
  'shutil.copy2',
  'shutil.copyfile',
  'shutil.move',
  'shutil.rmtree',
  'shutil.copytree',
  'pathlib.Path',
  'pathlib.PurePath',
  'pathlib.PosixPath',
  'sqlite3.connect',
  'logging.FileHandler',
  'logging.handlers.RotatingFileHandler',
  'logging.handlers.WatchedFileHandler',
  'tarfile.open',
  'zipfile.ZipFile',
  'gzip.open',
  'numpy.save',
  'numpy.load',
]);
const PATH_KEYWORDS = new Set([
  'path',
  'filename',
  'file',
  'dst',
  'destination',
  'output',
  'out',
  'logfile',
  'log_file',
  'cache_dir',
  'workdir',
]);
const PATH_WORDS = new Set([
  'path',
  'file',
  'filename',
  'dir',
  'directory',
  'folder',
  'tmp',
  'temp',
  'tmpdir',
  'tempdir',
  'log',
  'socket',
  'sock',
  'pidfile',
  'lock',
  'lockfile',
  'cache',
  'output',
  'db',
]);
/** `tempfile.mkstemp(dir="/tmp")` and friends create their file safely, wherever it lives. */
const SAFE_TEMPFILE = /^tempfile\./;

/** The literal leading text of a string (the part before any interpolation). */
function literalPrefix(node: SyntaxNode): string | undefined {
  if (node.type !== 'string') return undefined;
  let prefix = '';
  for (const child of node.namedChildren) {
    if (child.type === 'interpolation') break;
    if (child.type === 'string_content' || child.type === 'escape_sequence') prefix += child.text;
  }
  return prefix;
}

/**
 * The literal text a path expression starts with: a string or f-string, or the template of
 * `"/tmp/%s.log" % name`, `"/tmp/" + name` and `"/tmp/{}.log".format(name)`.
 */
function pathPrefix(node: SyntaxNode): string | undefined {
  if (node.type === 'string') return literalPrefix(node);
  if (node.type === 'concatenated_string') {
    const first = node.namedChildren[0];
    return first ? literalPrefix(first) : undefined;
  }
  if (node.type === 'binary_operator') {
    const operator = node.childForFieldName('operator')?.type;
    const left = node.childForFieldName('left');
    return (operator === '%' || operator === '+') && left ? pathPrefix(left) : undefined;
  }
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    const template =
      fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format'
        ? fn.childForFieldName('object')
        : undefined;
    return template ? pathPrefix(template) : undefined;
  }
  return undefined;
}

function sharedTempPath(node: SyntaxNode | null | undefined): string | undefined {
  const prefix = node ? pathPrefix(node) : undefined;
  return prefix !== undefined && SHARED_TEMP.test(prefix) ? prefix : undefined;
}

function reportPath(context: RuleContext<MessageId>, node: SyntaxNode, path: string): void {
  context.report({
    node,
    messageId: 'sharedTempPath',
    data: { path: path.length > 40 ? `${path.slice(0, 40)}…` : path },
  });
}

export default createRule({
  id: 'insecure-temp-file',
  meta: {
    title: 'Predictable temporary file',
    category: 'hardening',
    cwe: [377, 379],
    severity: 'medium',
    confidence: 'medium',
    equivalents: { bandit: ['B306', 'B108'], ruff: ['S306', 'S108'] },
    messages: {
      mktemp:
        '`{{fn}}` returns a name that another process can create first (a race); use `tempfile.mkstemp`, `NamedTemporaryFile` or `TemporaryDirectory`',
      sharedTempPath:
        '`{{path}}` is a fixed path in a world-writable directory; another user can create it or plant a symlink there first',
    },
    docs: {
      why: 'Every user can create files in `/tmp`, `/var/tmp` and `/dev/shm`. A fixed or merely unused name there can be created first by an attacker (as a symlink to a file the victim can write, or as a file the attacker can read), so the program overwrites, leaks or reads attacker-controlled data. `tempfile.mktemp()` only picks a name that is free now; by the time the file is opened it may not be.',
      example:
        'import tempfile\n\npath = tempfile.mktemp(suffix=".json")\nwith open(path, "w") as f:\n    f.write(report)',
      fix: 'Let `tempfile` create the file or directory atomically with private permissions, and use the name it returns.\n\n```python\nimport tempfile\n\nwith tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:\n    f.write(report)\n    path = f.name\n```',
      knownProblems:
        'No automatic fix is offered for `mktemp`: `mkstemp()` returns an open descriptor and a path rather than a path, and code that expects the path not to exist yet (to create a FIFO, a socket or a directory there) needs a different replacement. Unlike Ruff S108, which reports every string starting with `/tmp`, fixed paths are reported only when they are passed to a call that opens, creates or changes files (`open`, `os.*`, `shutil.*`, `pathlib.Path`, …), passed as a path-like keyword (`filename=`, `path=`), stored under a path-like key (`"filename": "/tmp/app.log"` in a logging `dictConfig`), or assigned to a path-like name (`LOG_FILE`, `cache_dir`), whether the path is a literal or built from one with an f-string, `%`, `+` or `.format`; docstrings and messages are left alone. `tempfile` functions given `dir="/tmp"` are safe and not reported.',
      references: [
        'https://docs.python.org/3/library/tempfile.html#tempfile.mktemp',
        'https://cwe.mitre.org/data/definitions/377.html',
        'https://owasp.org/www-community/vulnerabilities/Insecure_Temporary_File',
      ],
    },
  },
  visitors: {
    call(node, context) {
      if (!context.isModuleImported('tempfile') && !context.sourceMatches(SHARED_TEMP_MENTION)) return;
      const args = context.positionalArguments(node);
      const keywordPaths = (node.childForFieldName('arguments')?.namedChildren ?? []).filter(
        (a) => a.type === 'keyword_argument' && PATH_KEYWORDS.has(a.childForFieldName('name')?.text ?? ''),
      );
      const firstPath = sharedTempPath(args[0]);
      const keywordPath = keywordPaths
        .map((k) => sharedTempPath(k.childForFieldName('value')))
        .find((p) => p !== undefined);
      if (!context.isModuleImported('tempfile') && firstPath === undefined && keywordPath === undefined) return;
      const fn = context.calleeName(node);
      if (fn === 'tempfile.mktemp') {
        context.report({ node, messageId: 'mktemp', data: { fn } });
        return;
      }
      if (fn && SAFE_TEMPFILE.test(fn)) return;
      if (keywordPath !== undefined) reportPath(context, node, keywordPath);
      else if (firstPath !== undefined && fn && PATH_CALLS.has(fn)) reportPath(context, node, firstPath);
    },
    pair(node, context) {
      // `"filename": "/tmp/app.log"` in a logging `dictConfig` or any settings mapping.
      if (!context.sourceMatches(SHARED_TEMP_MENTION)) return;
      const key = context.stringValue(node.childForFieldName('key'));
      const path = key && PATH_KEYWORDS.has(key) ? sharedTempPath(node.childForFieldName('value')) : undefined;
      if (path !== undefined) reportPath(context, node, path);
    },
    assignment(node, context) {
      if (!context.sourceMatches(SHARED_TEMP_MENTION)) return;
      const path = sharedTempPath(node.childForFieldName('right'));
      const left = node.childForFieldName('left');
      const name = path !== undefined && left ? targetName(left) : undefined;
      if (name && hasNameWord(name, PATH_WORDS)) reportPath(context, node, path!);
    },
  },
  tests: {
    valid: [
      'import tempfile\nfd, path = tempfile.mkstemp(suffix=".json")',
      'import tempfile\nf = tempfile.NamedTemporaryFile(dir="/tmp")',
      'def f():\n    """Writes its output to /tmp/report.txt."""\n    log.info("cleaning /tmp/cache")',
      'import os\nos.path.join(base_dir, "tmp", name)',
      'def mktemp():\n    return "x"\nname = mktemp()',
      'import logging.config\nlogging.config.dictConfig({"handlers": {"file": {"class": "logging.FileHandler", "filename": "/var/log/app/app.log"}}})',
      'import os\nlabel = "/tmp/%s" % name\nprint("see /tmp/{}".format(name))',
    ],
    invalid: [
      {
        code: 'import tempfile\npath = tempfile.mktemp()',
        errors: [{ messageId: 'mktemp', line: 2, message: '`tempfile.mktemp`' }],
      },
      { code: 'from tempfile import mktemp as mk\nname = mk(suffix=".sock")', errors: [{ messageId: 'mktemp' }] },
      {
        code: 'with open("/tmp/report.txt", "w") as f:\n    f.write(data)',
        errors: [{ messageId: 'sharedTempPath', line: 1, message: '`/tmp/report.txt`' }],
      },
      {
        code: 'import os\nos.makedirs(f"/var/tmp/{user}/cache")',
        errors: [{ messageId: 'sharedTempPath', message: '`/var/tmp/`' }],
      },
      {
        code: 'def export(user_id, rows):\n    with open("/tmp/export_%s.csv" % user_id, "w") as f:\n        f.write(rows)',
        errors: [{ messageId: 'sharedTempPath', line: 2, message: '`/tmp/export_%s.csv`' }],
      },
      {
        code: 'import os\nos.makedirs("/tmp/{}/cache".format(job_id), exist_ok=True)\nLOCK_FILE = "/var/tmp/" + name + ".lock"',
        errors: [
          { messageId: 'sharedTempPath', line: 2 },
          { messageId: 'sharedTempPath', line: 3 },
        ],
      },
      {
        code: 'import logging.config\nLOGGING = {\n    "handlers": {\n        "file": {"class": "logging.FileHandler", "filename": f"/tmp/{APP}.log"},\n    },\n}\nlogging.config.dictConfig(LOGGING)',
        errors: [{ messageId: 'sharedTempPath', line: 4, message: '`/tmp/`' }],
      },
      {
        code: 'LOG_FILE = "/dev/shm/app.log"\nhandler = make_handler(filename="/tmp/app.log")',
        errors: [
          { messageId: 'sharedTempPath', line: 1 },
          { messageId: 'sharedTempPath', line: 2 },
        ],
      },
    ],
  },
});
