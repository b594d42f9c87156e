import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { methodOf, receiverOf, tracedSource } from '../support/tainted-sink.js';

/** Functions that open, list, change or remove a path, and the arguments that hold paths. */
const PATH_FUNCTIONS = new Map<string, readonly [number, string][]>([
  ['open', [[0, 'file']]],
  ['io.open', [[0, 'file']]],
  ['codecs.open', [[0, 'filename']]],
  ['os.open', [[0, 'path']]],
  ['os.remove', [[0, 'path']]],
  ['os.unlink', [[0, 'path']]],
  ['os.rmdir', [[0, 'path']]],
  ['os.removedirs', [[0, 'name']]],
  ['os.mkdir', [[0, 'path']]],
  ['os.makedirs', [[0, 'name']]],
  ['os.listdir', [[0, 'path']]],
  ['os.scandir', [[0, 'path']]],
  ['os.chmod', [[0, 'path']]],
  [
    'os.rename',
    [
      [0, 'src'],
      [1, 'dst'],
    ],
  ],
  [
    'os.replace',
    [
      [0, 'src'],
      [1, 'dst'],
    ],
  ],
  [
    'shutil.copy',
    [
      [0, 'src'],
      [1, 'dst'],
    ],
  ],
  [
    'shutil.copy2',
    [
      [0, 'src'],
      [1, 'dst'],
    ],
  ],
  [
    'shutil.copyfile',
    [
      [0, 'src'],
      [1, 'dst'],
    ],
  ],
  [
    'shutil.copytree',
    [
      [0, 'src'],
      [1, 'dst'],
    ],
  ],
  [
    'shutil.move',
    [
      [0, 'src'],
      [1, 'dst'],
    ],
  ],
  ['shutil.rmtree', [[0, 'path']]],
  ['flask.send_file', [[0, 'path_or_file']]],
  // `send_from_directory` joins its file name safely; only the directory is a risk.
  ['flask.send_from_directory', [[0, 'directory']]],
  ['flask.helpers.send_file', [[0, 'path_or_file']]],
  ['flask.helpers.send_from_directory', [[0, 'directory']]],
  ['starlette.responses.FileResponse', [[0, 'path']]],
  ['fastapi.responses.FileResponse', [[0, 'path']]],
  ['aiohttp.web.FileResponse', [[0, 'path']]],
  ['aiohttp.web_fileresponse.FileResponse', [[0, 'path']]],
  ['sanic.response.file', [[0, 'location']]],
  ['sanic.response.file_stream', [[0, 'location']]],
]);

/** The source text of an uploaded file: Flask/Werkzeug `request.files`, Django `request.FILES`. */
const UPLOADED_FILES = /\.(?:files|FILES)\b/;

/**
 * `upload.save(dst)` on a file uploaded with the request (Werkzeug's `FileStorage.save`): the
 * destination is a path. Other objects' `save` (models, forms, images) take no path, or are
 * out of scope here.
 */
function uploadSaveDestination(call: SyntaxNode, context: RuleContext): SyntaxNode | undefined {
  if (methodOf(call) !== 'save') return undefined;
  const receiver = receiverOf(call);
  const destination = context.argument(call, 0, 'dst');
  if (!receiver || !destination) return undefined;
  const origin = context.origin(receiver, 'path');
  return origin.kind === 'source' && UPLOADED_FILES.test(origin.source ?? '') ? destination : undefined;
}

/** `pathlib.Path` methods that touch the file system: their receiver is the path. */
const PATH_METHODS = new Set([
  'read_text',
  'read_bytes',
  'write_text',
  'write_bytes',
  'unlink',
  'rmdir',
  'mkdir',
  'touch',
  'iterdir',
  'rglob',
]);

function isModule(node: SyntaxNode, context: RuleContext): boolean {
  return node.type === 'identifier' && context.bindingsOf(node).some((binding) => binding.kind === 'import');
}

function pathArguments(
  call: SyntaxNode,
  context: RuleContext,
): { name: string; paths: (SyntaxNode | undefined)[] } | undefined {
  const callee = context.calleeName(call);
  const positions = callee ? PATH_FUNCTIONS.get(callee) : undefined;
  if (positions)
    return { name: callee!, paths: positions.map(([position, keyword]) => context.argument(call, position, keyword)) };
  const method = methodOf(call);
  const receiver = receiverOf(call);
  if (method && receiver && PATH_METHODS.has(method) && !isModule(receiver, context))
    return { name: `Path.${method}`, paths: [receiver] };
  const destination = uploadSaveDestination(call, context);
  return destination && { name: 'FileStorage.save', paths: [destination] };
}

export default createRule({
  id: 'path-traversal',
  meta: {
    title: 'File path from untrusted input',
    category: 'injection',
    cwe: [22],
    severity: 'high',
    confidence: 'high',
    equivalents: {},
    messages: {
      tainted: '`{{fn}}` uses a file path that comes from {{source}}',
    },
    docs: {
      why: 'A path that a client controls can climb out of the intended directory with `../` or name an absolute path, so the server reads, overwrites or deletes files such as `/etc/passwd`, its own source or its keys. `os.path.join(BASE, name)` does not help: an absolute `name` replaces `BASE` altogether.',
      example:
        'import os\nfrom flask import request\n\n@app.get("/download")\ndef download():\n    name = request.args["name"]\n    with open(os.path.join("/srv/files", name), "rb") as handle:\n        return handle.read()',
      fix: 'Reduce the input to a plain file name (`werkzeug.utils.secure_filename`, `os.path.basename`), or resolve the joined path and check that it is still inside the base directory; Flask\'s `send_from_directory` does the latter for you.\n\n```python\nfrom flask import request, send_from_directory\n\n@app.get("/download")\ndef download():\n    return send_from_directory("/srv/files", request.args["name"])\n```',
      knownProblems:
        "Only flows from web request data or route parameters are reported, with their trace; a path of unknown origin, such as a function parameter, is not, because paths built from variables are everywhere, and neither is one from the command line, `input()` or the environment, which a command-line tool is meant to open. The path must reach a file operation in the same module: a path that is only built (`os.path.join`, `pathlib.Path`) and handed to code elsewhere is not reported. An uploaded file's `save(dst)` (Werkzeug `FileStorage`) is a file operation on `dst`; `secure_filename` makes its name safe. A containment check is recognised when it is written as `if not path.startswith(BASE): abort(...)` (or `return`/`raise`) on the variable that is used.",
      references: [
        'https://owasp.org/www-community/attacks/Path_Traversal',
        'https://cwe.mitre.org/data/definitions/22.html',
        'https://flask.palletsprojects.com/en/stable/api/#flask.send_from_directory',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const sink = pathArguments(node, context);
      if (!sink) return;
      const flow = tracedSource(context, sink.paths, 'path');
      if (!flow) return;
      context.report({
        node,
        messageId: 'tainted',
        data: { fn: sink.name, source: flow.origin.source ?? 'untrusted input' },
        confidence: flow.origin.confidence,
        origin: flow.origin,
      });
    },
  },
  tests: {
    valid: [
      'import os\nfrom flask import request\n\ndef f():\n    name = os.path.basename(request.args["name"])\n    return open(os.path.join("/srv", name)).read()',
      'from flask import request\nfrom werkzeug.utils import secure_filename\n\ndef f():\n    upload = request.files["file"]\n    upload.save("/srv/" + secure_filename(upload.filename))\n    open("/srv/" + secure_filename(upload.filename))',
      'def read(path):\n    with open(path) as handle:\n        return handle.read()',
      'from flask import request, send_from_directory\n\ndef f():\n    return send_from_directory("/srv/files", request.args["name"])',
      'import os\nfrom flask import request\nfrom werkzeug.utils import secure_filename\n\ndef upload():\n    f = request.files["file"]\n    f.save(os.path.join("/srv/uploads", secure_filename(f.filename)))',
      'import os\nimport uuid\nfrom flask import request\n\ndef upload():\n    f = request.files["avatar"]\n    f.save(os.path.join("/srv/avatars", f"{uuid.uuid4().hex}.png"))',
      'from flask import request\n\ndef update(user):\n    user.name = request.form["name"]\n    user.save(request.form.get("reason"))',
      'import os\nfrom aiohttp import web\n\nasync def index(request):\n    return web.FileResponse(os.path.join(os.path.dirname(__file__), "static", "index.html"))',
      'import os\nfrom django.http import FileResponse\n\ndef report(request):\n    return FileResponse(open(os.path.join("/srv/reports", "latest.pdf"), "rb"))',
      'from flask import request, send_file\n\nREPORTS = {"q1": "/srv/reports/q1.pdf", "q2": "/srv/reports/q2.pdf"}\n\ndef report():\n    return send_file(REPORTS[request.args["q"]])',
    ],
    invalid: [
      {
        code: 'import os\nfrom flask import request\n\ndef f():\n    name = request.args["name"]\n    path = os.path.join("/srv/files", name)\n    return open(path).read()',
        errors: [{ messageId: 'tainted', line: 7, confidence: 'high', message: 'request.args' }],
      },
      {
        code: 'import shutil\n\ndef view(request):\n    shutil.rmtree("/tmp/" + request.POST["dir"])',
        errors: [{ messageId: 'tainted', line: 4, message: 'Django' }],
      },
      {
        code: 'from pathlib import Path\nfrom fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/files/{name}")\ndef read(name: str):\n    return (Path("/srv") / name).read_text()',
        errors: [{ messageId: 'tainted', line: 7 }],
      },
      {
        code: 'from flask import send_file, request\n\ndef f():\n    folder = request.args["folder"]\n    return send_file(f"/srv/{folder}/report.pdf")',
        errors: [{ messageId: 'tainted', line: 5 }],
      },
      {
        code: 'import os\nfrom flask import request\n\ndef upload():\n    f = request.files["file"]\n    f.save(os.path.join("/srv/uploads", f.filename))',
        errors: [{ messageId: 'tainted', line: 6, message: 'FileStorage.save' }],
      },
      {
        code: 'from flask import request\n\ndef upload_many():\n    for f in request.files.getlist("files"):\n        f.save("/srv/uploads/" + f.filename)',
        errors: [{ messageId: 'tainted', line: 5, message: 'FileStorage.save' }],
      },
      {
        code: 'import os\nfrom flask import request\n\ndef upload():\n    f = request.files.get("doc")\n    folder = request.form["folder"]\n    f.save(os.path.join("/srv/docs", folder, "doc.pdf"))',
        errors: [{ messageId: 'tainted', line: 7, message: 'request.form' }],
      },
      {
        code: 'import os\nfrom aiohttp import web\n\nasync def download(request):\n    data = await request.json()\n    return web.FileResponse(os.path.join("/srv/files", data["name"]))',
        errors: [{ messageId: 'tainted', line: 6, message: 'aiohttp.web.FileResponse' }],
      },
      {
        code: 'import os\nfrom django.http import FileResponse\n\ndef download(request):\n    path = os.path.join("/srv/media", request.GET["file"])\n    return FileResponse(open(path, "rb"), as_attachment=True)',
        errors: [{ messageId: 'tainted', line: 6, message: 'request.GET' }],
      },
      {
        code: 'from flask import request, send_file\n\ndef avatar():\n    return send_file(request.args["path"], mimetype="image/png")',
        errors: [{ messageId: 'tainted', line: 4, message: 'flask.send_file' }],
      },
    ],
  },
});
