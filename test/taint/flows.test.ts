import { describe, expect, it } from '@jest/globals';
import { markerLine, originAtMarker } from './helpers.js';

/** Flows the analysis must follow, each from a Flask request read to a SQL sink. */
const FOLLOWED: [string, string][] = [
  [
    'augmented assignment',
    `from flask import request
def f(cur):
    q = "SELECT * FROM t WHERE a = "
    q += request.args["a"]
    cur.execute(q)  # <- sink
`,
  ],
  [
    'tuple unpacking',
    `from flask import request
def f(cur):
    a, b = "x", request.args["b"]
    cur.execute(b)  # <- sink
`,
  ],
  [
    '% formatting and str.join',
    `from flask import request
def f(cur):
    parts = ["id = %s" % request.args["id"]]
    cur.execute(" AND ".join(parts))  # <- sink
`,
  ],
  [
    '.format()',
    `from flask import request
def f(cur):
    cur.execute("SELECT {} FROM t".format(request.form["col"]))  # <- sink
`,
  ],
  [
    'list.append',
    `from flask import request
def f(cur):
    clauses = []
    clauses.append(request.args["c"])
    cur.execute(" OR ".join(clauses))  # <- sink
`,
  ],
  [
    'dict update and subscript read',
    `from flask import request
def f(cur):
    params = {}
    params.update(name=request.args["n"])
    cur.execute(params["name"])  # <- sink
`,
  ],
  [
    'subscript store',
    `from flask import request
def f(cur):
    data = {}
    data["q"] = request.values["q"]
    cur.execute(data["q"])  # <- sink
`,
  ],
  [
    'attribute read of a tainted object',
    `from flask import request
def f(cur):
    payload = request.get_json()
    cur.execute(payload.query)  # <- sink
`,
  ],
  [
    'a branch taints on one path only',
    `from flask import request
def f(cur, fast):
    if fast:
        q = "SELECT 1"
    else:
        q = request.args["q"]
    cur.execute(q)  # <- sink
`,
  ],
  [
    'for loop target from a tainted iterable',
    `from flask import request
def f(cur):
    for name in request.args.getlist("n"):
        cur.execute(name)  # <- sink
`,
  ],
  [
    'loop-carried string building',
    `from flask import request
def f(cur):
    q = "SELECT * FROM t WHERE 1=1"
    for key in ("a", "b"):
        cur.execute(q)  # <- sink
        q = q + " AND x = " + request.args[key]
`,
  ],
  [
    'with-as',
    `from flask import request
def f(cur):
    with wrap(request.data) as body:
        cur.execute(body)  # <- sink
`,
  ],
  [
    'async view awaiting the request',
    `from fastapi import FastAPI, Request
app = FastAPI()
@app.post("/q")
async def q(request: Request, cur):
    body = await request.json()
    await cur.execute(body["sql"])  # <- sink
`,
  ],
  [
    'nested function capturing a local',
    `from flask import request
def f(cur):
    q = request.args["q"]
    def run():
        cur.execute(q)  # <- sink
    run()
`,
  ],
  [
    'lambda summary',
    `from flask import request
def f(cur):
    build = lambda s: "SELECT " + s
    cur.execute(build(request.args["c"]))  # <- sink
`,
  ],
  [
    'list comprehension',
    `from flask import request
def f(cur):
    cols = [c.strip() for c in request.args["cols"].split(",")]
    cur.execute(", ".join(cols))  # <- sink
`,
  ],
  [
    'walrus',
    `from flask import request
def f(cur):
    if (q := request.args.get("q")):
        cur.execute(q)  # <- sink
`,
  ],
  [
    'helper with keyword argument',
    `from flask import request
def where(column, value):
    return f"{column} = '{value}'"
def f(cur):
    cur.execute(where("id", value=request.args["id"]))  # <- sink
`,
  ],
  [
    'helper that reads the source itself',
    `from flask import request
def current_filter():
    return request.args["filter"]
def f(cur):
    cur.execute("SELECT * FROM t WHERE " + current_filter())  # <- sink
`,
  ],
  [
    'two helpers in a chain',
    `from flask import request
def quote(v):
    return "'" + v + "'"
def clause(v):
    return "x = " + quote(v)
def f(cur):
    cur.execute(clause(request.args["x"]))  # <- sink
`,
  ],
  [
    'module-level script code',
    `import sys
query = "SELECT * FROM t WHERE id = " + sys.argv[1]
cur.execute(query)  # <- sink
`,
  ],
  [
    'self.request in a class-based view',
    `class V(View):
    def get(self, *args):
        cur.execute(self.request.GET["q"])  # <- sink
`,
  ],
];

describe('data flow', () => {
  it.each(FOLLOWED)('follows %s', (_name, code) => {
    const origin = originAtMarker(code, 'sql');
    expect(origin.kind).toBe('source');
    expect(origin.trace.at(-1)?.line).toBe(markerLine(code));
  });

  it('builds a trace with one step per hop, from the source to the sink', () => {
    const code = `from flask import request
def search(cur):
    term = request.args["term"]
    query = (
        f"SELECT * FROM items "
        f"WHERE name = '{term}'"
    )
    cur.execute(query)  # <- sink
`;
    const origin = originAtMarker(code, 'sql');
    expect(origin).toMatchObject({ kind: 'source', confidence: 'high', source: 'request.args (Flask)' });
    expect(origin.trace).toEqual([
      { line: 3, column: 12, note: 'request.args read here' },
      { line: 3, column: 5, note: 'assigned to term' },
      { line: 6, column: 9, note: 'formatted into an f-string' },
      { line: 4, column: 5, note: 'assigned to query' },
      { line: 8, column: 17, note: 'used in an SQL statement here' },
    ]);
  });

  it('traces through a helper function: argument, parameter, return', () => {
    const code = `from flask import request
def build(x):
    return "SELECT * FROM t WHERE id = " + x
def view(cur):
    q = build(request.args["id"])
    cur.execute(q)  # <- sink
`;
    const notes = originAtMarker(code, 'sql').trace.map((s) => `${s.line}: ${s.note}`);
    expect(notes).toEqual([
      '5: request.args read here',
      '5: passed to build()',
      '2: parameter `x`',
      '3: concatenated into a string',
      '5: returned from build()',
      '5: assigned to q',
      '6: used in an SQL statement here',
    ]);
  });

  it('lets a later assignment on every path replace a tainted value', () => {
    const code = `from flask import request
def f(cur):
    q = request.args["q"]
    q = "SELECT 1"
    cur.execute(q)  # <- sink
`;
    expect(originAtMarker(code, 'sql').kind).toBe('constant');
  });

  it('does not let an assignment inside a branch replace the value on the other path', () => {
    const code = `from flask import request
def f(cur, flag):
    q = request.args["q"]
    if flag:
        q = "SELECT 1"
    cur.execute(q)  # <- sink
`;
    expect(originAtMarker(code, 'sql').kind).toBe('source');
  });

  it('does not taint a value read before the tainted assignment', () => {
    const code = `from flask import request
def f(cur):
    q = "SELECT 1"
    cur.execute(q)  # <- sink
    q = request.args["q"]
`;
    expect(originAtMarker(code, 'sql').kind).toBe('constant');
  });

  it('keeps the element of a tuple assignment apart from its neighbours', () => {
    const code = `from flask import request
def f(cur):
    a, b = "SELECT 1", request.args["b"]
    cur.execute(a)  # <- sink
`;
    expect(originAtMarker(code, 'sql').kind).toBe('constant');
  });

  it('maps a helper summary onto the argument that flows to the return, not the others', () => {
    const code = `from flask import request
def pick(first, second):
    return "SELECT " + first
def f(cur):
    cur.execute(pick("1", request.args["x"]))  # <- sink
`;
    expect(originAtMarker(code, 'sql').kind).not.toBe('source');
  });

  it('sees a sanitizer inside a helper', () => {
    const code = `import shlex, os
from flask import request
def quoted(arg):
    return "ls " + shlex.quote(arg)
def f():
    os.system(quoted(request.args["dir"]))  # <- sink
`;
    expect(originAtMarker(code, 'command').kind).toBe('sanitized');
  });

  it('gives up as unknown, without overflowing the stack, on thousands of chained reassignments', () => {
    const chain = Array.from({ length: 5000 }, () => '    q = q + "x"').join('\n');
    const code = `from flask import request\ndef f(cur):\n    q = request.args["q"]\n${chain}\n    cur.execute(q)  # <- sink\n`;
    expect(originAtMarker(code, 'sql').kind).toBe('unknown');
  });

  it('terminates on recursive helpers', () => {
    const code = `from flask import request
def walk(x):
    return walk(x + "/") if len(x) < 5 else x
def f(cur):
    cur.execute(walk(request.args["x"]))  # <- sink
`;
    expect(originAtMarker(code, 'sql').kind).toBe('source');
  });
});

describe('sources', () => {
  const at = (code: string) => originAtMarker(code, 'command');
  it.each([
    [
      'Flask request.form',
      'from flask import request\nos.system(request.form["c"])  # <- sink',
      'request.form (Flask)',
      'high',
    ],
    [
      'Flask request.cookies via an alias',
      'from flask import request as rq\nos.system(rq.cookies["c"])  # <- sink',
      'rq.cookies (Flask)',
      'high',
    ],
    [
      'a Flask route parameter',
      'from flask import Flask\napp = Flask(__name__)\n@app.route("/x/<name>")\ndef x(name):\n    os.system(name)  # <- sink',
      'route parameter `name` (Flask)',
      'high',
    ],
    [
      'a blueprint route parameter',
      'import flask\nbp = flask.Blueprint("b", __name__)\n@bp.get("/x/<name>")\ndef x(name):\n    os.system(name)  # <- sink',
      'route parameter `name` (Flask)',
      'high',
    ],
    [
      'Django request.GET',
      'def view(request):\n    os.system(request.GET["c"])  # <- sink',
      'request.GET (Django)',
      'high',
    ],
    [
      'Django request.body in a class-based view',
      'from django.views import View\nclass V(View):\n    def post(self, request):\n        os.system(request.body)  # <- sink',
      'request.body (Django)',
      'high',
    ],
    [
      'a FastAPI query parameter',
      'from fastapi import APIRouter\nrouter = APIRouter()\n@router.get("/x")\ndef x(q: str):\n    os.system(q)  # <- sink',
      'route parameter `q` (FastAPI)',
      'high',
    ],
    [
      'Starlette request.query_params',
      'from starlette.requests import Request\nasync def x(request: Request):\n    os.system(request.query_params["q"])  # <- sink',
      'request.query_params (Starlette)',
      'high',
    ],
    ['input()', 'os.system(input("cmd? "))  # <- sink', 'input()', 'medium'],
    ['sys.argv', 'import sys\nos.system(sys.argv[1])  # <- sink', 'sys.argv', 'medium'],
    [
      'argparse results',
      'import argparse\np = argparse.ArgumentParser()\nargs = p.parse_args()\nos.system(args.command)  # <- sink',
      'command-line arguments (argparse)',
      'medium',
    ],
    ['os.environ', 'import os\nos.system(os.environ["CMD"])  # <- sink', 'os.environ', 'low'],
    ['os.getenv', 'import os\nos.system("run " + os.getenv("CMD"))  # <- sink', 'os.environ', 'low'],
    [
      'a file read',
      'with open("cmds.txt") as fh:\n    cmd = fh.read()\nos.system(cmd)  # <- sink',
      'file contents',
      'low',
    ],
    ['a socket read', 'def serve(sock):\n    os.system(sock.recv(1024).decode())  # <- sink', 'socket data', 'low'],
  ])('recognises %s', (_name, code, source, confidence) => {
    expect(at(code)).toMatchObject({ kind: 'source', source, confidence });
  });

  it('does not treat FastAPI dependencies or the request object itself as client data', () => {
    const code =
      'from fastapi import FastAPI, Depends, Request\napp = FastAPI()\n@app.get("/x")\ndef x(request: Request, db=Depends(get_db)):\n    os.system(db)  # <- sink';
    expect(at(code).kind).toBe('unknown');
  });

  it('does not treat parameters of undecorated functions as sources', () => {
    expect(at('def run(cmd):\n    os.system(cmd)  # <- sink')).toEqual({
      kind: 'unknown',
      confidence: 'low',
      trace: [],
    });
  });

  it('does not treat a `request` parameter outside a view as a web request', () => {
    const code = 'class Handler:\n    def http_request(self, request):\n        os.system(request.data)  # <- sink';
    expect(at(code).kind).not.toBe('source');
    expect(at('def log(level, request):\n    os.system(request.headers)  # <- sink').kind).not.toBe('source');
  });

  it('does not treat other attributes of the request as client data', () => {
    expect(at('def view(request):\n    os.system(request.user.name)  # <- sink').kind).not.toBe('source');
  });
});

describe('origin kinds', () => {
  it('reports constants as constant', () => {
    expect(originAtMarker('CMD = "ls"\nos.system(CMD + " -l")  # <- sink', 'command')).toEqual({
      kind: 'constant',
      confidence: 'high',
      trace: [],
    });
  });

  it('reports values of unknown origin as unknown, medium', () => {
    expect(originAtMarker('from config import CMD\nos.system(CMD)  # <- sink', 'command')).toEqual({
      kind: 'unknown',
      confidence: 'medium',
      trace: [],
    });
  });

  it('reports a sanitized value as sanitized for its family only', () => {
    const code =
      'import shlex\nfrom flask import request\nc = shlex.quote(request.args["c"])\nos.system("ls " + c)  # <- sink';
    expect(originAtMarker(code, 'command').kind).toBe('sanitized');
    expect(originAtMarker(code, 'sql').kind).toBe('source');
  });

  it('reports source when one part is sanitized and another is not', () => {
    const code =
      'import shlex\nfrom flask import request\nos.system(shlex.quote(request.args["a"]) + request.args["b"])  # <- sink';
    expect(originAtMarker(code, 'command').kind).toBe('source');
  });

  it('treats allow-list guards as sanitizers inside the guarded block', () => {
    const code = 'from flask import request\nc = request.args["c"]\nif c in ALLOWED:\n    os.system(c)  # <- sink';
    expect(originAtMarker(code, 'command').kind).toBe('sanitized');
  });

  it('treats an early exit on a failed allow-list check as a guard for what follows', () => {
    const code =
      'from flask import request, abort\ndef f():\n    c = request.args["c"]\n    if c not in ALLOWED:\n        abort(400)\n    os.system(c)  # <- sink';
    expect(originAtMarker(code, 'command').kind).toBe('sanitized');
  });

  it('does not treat a guard without an exit as a guard for what follows', () => {
    const code =
      'from flask import request\ndef f():\n    c = request.args["c"]\n    if c not in ALLOWED:\n        log(c)\n    os.system(c)  # <- sink';
    expect(originAtMarker(code, 'command').kind).toBe('source');
  });
});
