import { describe, expect, it } from '@jest/globals';
import { scanSource } from '../../src/engine/index.js';
import type { SinkFamily } from '../../src/engine/taint/origin.js';
import { rulesById } from '../../src/rules/index.js';
import { markerLine, originAtMarker } from './helpers.js';

/**
 * Per sink family: flows from an untrusted source that must be found, and flows that are
 * sanitized or constant and must not be. Each snippet marks its sink with `# <- sink`
 * (`arg=N`/`kw=name` name the argument queried when it is not the first).
 */
interface FamilyCases {
  /** The rules that report this family's sinks. */
  rules: string[];
  found: string[];
  safe: [kind: 'sanitized' | 'constant', code: string][];
}

const FAMILIES: Record<SinkFamily, FamilyCases> = {
  sql: {
    rules: ['sql-injection'],
    found: [
      `from flask import request
def search(cur):
    term = request.args["q"]
    sql = (
        "SELECT * FROM items "
        f"WHERE name LIKE '%{term}%' "
        "ORDER BY id"
    )
    cur.execute(sql)  # <- sink
`,
      `from flask import request as req
def delete(cur):
    ident = req.form.get("id")
    table = "users"
    cur.execute("DELETE FROM %s WHERE id = %s" % (table, ident))  # <- sink
`,
      `def view(request, cursor):
    order = request.GET.get("order", "id")
    if order:
        clause = " ORDER BY " + order
    else:
        clause = ""
    cursor.execute("SELECT * FROM t" + clause)  # <- sink
`,
      `from flask import request
def where(column, value):
    return "{} = '{}'".format(column, value)
def f(cur):
    cur.execute("SELECT * FROM t WHERE " + where("name", request.args["n"]))  # <- sink
`,
      `import sys
conditions = []
for arg in sys.argv[1:]:
    conditions.append(f"tag = '{arg}'")
query = "SELECT * FROM posts WHERE " + " OR ".join(conditions)
cur.execute(query)  # <- sink
`,
    ],
    safe: [
      ['constant', `def f(cur):\n    cur.execute("SELECT * FROM t WHERE active = 1")  # <- sink\n`],
      [
        'sanitized',
        `from flask import request\ndef f(cur):\n    limit = int(request.args["limit"])\n    cur.execute(f"SELECT * FROM t LIMIT {limit}")  # <- sink\n`,
      ],
      [
        'sanitized',
        `from flask import request\ndef f(cur):\n    col = request.args["sort"]\n    if col in ("name", "date"):\n        cur.execute("SELECT * FROM t ORDER BY " + col)  # <- sink\n`,
      ],
      [
        'constant',
        `from flask import request\ndef f(cur):\n    q = request.args["q"]\n    q = "SELECT 1"\n    cur.execute(q)  # <- sink\n`,
      ],
      [
        'constant',
        `BASE = "SELECT * FROM t"\ndef build():\n    return BASE + " WHERE x = %s"\ndef f(cur, request):\n    cur.execute(build(), (request.GET["x"],))  # <- sink\n`,
      ],
    ],
  },
  command: {
    rules: ['os-command-injection', 'subprocess-shell-true'],
    found: [
      `import os
from flask import request
def ping():
    host = request.args["host"]
    cmd = f"ping -c 1 {host}"
    os.system(cmd)  # <- sink
`,
      `import subprocess as sp
def view(request):
    name = request.POST["name"]
    sp.run("tar czf /tmp/%s.tgz data" % name, shell=True)  # <- sink
`,
      `import os
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--dir")
options = parser.parse_args()
os.popen("ls " + options.dir)  # <- sink
`,
      `import os
def shell_line(*words):
    return " ".join(words)
def run_it():
    os.system(shell_line("echo", input("say: ")))  # <- sink
`,
      `import os
from fastapi import FastAPI
app = FastAPI()
@app.post("/convert")
async def convert(fmt: str):
    args = ["convert", "in.png"]
    args.extend(["-format", fmt])
    os.system(" ".join(args))  # <- sink
`,
    ],
    safe: [
      [
        'sanitized',
        `import os, shlex\nfrom flask import request\ndef f():\n    os.system("ping -c 1 " + shlex.quote(request.args["host"]))  # <- sink\n`,
      ],
      ['constant', `import os\nos.system("ls -l /tmp")  # <- sink\n`],
      [
        'sanitized',
        `import os\nfrom flask import request, abort\ndef f():\n    tool = request.args["tool"]\n    if tool not in {"git", "hg"}:\n        abort(400)\n    os.system(tool + " status")  # <- sink\n`,
      ],
      [
        'sanitized',
        `import os\nfrom flask import request\ndef f():\n    n = int(request.args["n"])\n    os.system(f"seq {n}")  # <- sink\n`,
      ],
      [
        'sanitized',
        `import os, shlex\nfrom flask import request\ndef f():\n    os.system(shlex.join(["grep", request.args["p"], "log.txt"]))  # <- sink\n`,
      ],
    ],
  },
  code: {
    rules: ['code-injection'],
    found: [
      `from flask import request
def calc():
    expr = request.args["expr"]
    return eval(expr)  # <- sink
`,
      `def view(request):
    body = request.body.decode()
    code = "result = " + body
    exec(code)  # <- sink
`,
      `import sys
source = sys.argv[1]
compiled = compile(source, "<arg>", "exec")  # <- sink
`,
      `from flask import request
def wrap(snippet):
    return f"lambda x: {snippet}"
def f():
    return eval(wrap(request.form["fn"]))  # <- sink
`,
      `from flask import request
def f():
    data = request.get_json()
    for step in data["steps"]:
        exec(step)  # <- sink
`,
    ],
    safe: [
      ['constant', `eval("1 + 2")  # <- sink\n`],
      [
        'sanitized',
        `from flask import request\ndef f():\n    return eval(str(int(request.args["n"])) + " * 2")  # <- sink\n`,
      ],
      [
        'sanitized',
        `from flask import request\ndef f():\n    op = request.args["op"]\n    if op in ("min", "max"):\n        return eval(op + "(1, 2)")  # <- sink\n`,
      ],
      ['constant', `EXPR = "2 ** 8"\ndef f():\n    return eval(EXPR)  # <- sink\n`],
      [
        'constant',
        `from flask import request\ndef f():\n    code = request.args["c"]\n    code = "print('hi')"\n    exec(code)  # <- sink\n`,
      ],
    ],
  },
  template: {
    rules: ['render-template-string', 'unsafe-markup', 'html-response-from-string'],
    found: [
      `from flask import request, render_template_string
def hello():
    name = request.args.get("name", "world")
    page = "<h1>Hello " + name + "</h1>"
    return render_template_string(page)  # <- sink
`,
      `from markupsafe import Markup
from flask import request
def f():
    return Markup(f"<b>{request.args['msg']}</b>")  # <- sink
`,
      `from django.utils.safestring import mark_safe
def view(request):
    comment = request.POST["comment"]
    html = "<p>%s</p>" % comment
    return mark_safe(html)  # <- sink
`,
      `from flask import request, render_template_string
def item(text):
    return "<li>" + text + "</li>"
def f():
    items = [item(t) for t in request.args.getlist("t")]
    return render_template_string("<ul>" + "".join(items) + "</ul>")  # <- sink
`,
      `from django.http import HttpResponse
def view(request):
    q = request.GET["q"]
    return HttpResponse(f"<p>No results for {q}</p>")  # <- sink
`,
    ],
    safe: [
      [
        'sanitized',
        `from markupsafe import Markup, escape\nfrom flask import request\ndef f():\n    return Markup("<b>" + escape(request.args["m"]) + "</b>")  # <- sink\n`,
      ],
      [
        'sanitized',
        `import html\nfrom django.http import HttpResponse\ndef view(request):\n    return HttpResponse("<p>" + html.escape(request.GET["q"]) + "</p>")  # <- sink\n`,
      ],
      [
        'constant',
        `from flask import render_template_string\ndef f():\n    return render_template_string("<h1>{{ title }}</h1>")  # <- sink\n`,
      ],
      [
        'sanitized',
        `import bleach\nfrom django.utils.safestring import mark_safe\ndef view(request):\n    return mark_safe(bleach.clean(request.POST["bio"]))  # <- sink\n`,
      ],
      [
        'sanitized',
        `from django.utils.html import escape\nfrom django.utils.safestring import mark_safe\ndef view(request):\n    name = escape(request.GET["n"])\n    return mark_safe(f"<i>{name}</i>")  # <- sink\n`,
      ],
    ],
  },
  ssrf: {
    rules: ['ssrf'],
    found: [
      `import requests
from flask import request
def preview():
    url = request.args["url"]
    resp = requests.get(url, timeout=5)  # <- sink
    return resp.text
`,
      `import requests
from flask import request
def hook():
    cfg = request.get_json()
    target = cfg["callback"]
    session = requests.Session()
    session.post(target, json={"ok": True})  # <- sink
`,
      `from urllib.request import urlopen
def view(request):
    host = request.GET["host"]
    base = "http://" + host
    return urlopen(base + "/health").read()  # <- sink
`,
      `import httpx
from fastapi import FastAPI
app = FastAPI()
def api_url(server):
    return f"https://{server}/v1/status"
@app.get("/status")
async def status(server: str):
    async with httpx.AsyncClient() as client:
        return await client.get(api_url(server))  # <- sink
`,
      `import urllib3
from flask import request
http = urllib3.PoolManager()
def relay():
    if "endpoint" in request.form:
        endpoint = request.form["endpoint"]
    else:
        endpoint = "http://localhost"
    http.request("GET", endpoint)  # <- sink arg=1
`,
    ],
    safe: [
      ['constant', `import requests\nrequests.get("https://example.com/api")  # <- sink\n`],
      [
        'sanitized',
        `import requests\nfrom flask import request\ndef f():\n    url = request.args["u"]\n    if url in ALLOWED_URLS:\n        requests.get(url)  # <- sink\n`,
      ],
      [
        'sanitized',
        `import requests\nfrom urllib.parse import urlsplit\nfrom flask import request, abort\ndef f():\n    url = request.args["u"]\n    if urlsplit(url).hostname not in ALLOWED_HOSTS:\n        abort(400)\n    return requests.get(url).text  # <- sink\n`,
      ],
      [
        'sanitized',
        `import requests\nfrom flask import request\ndef f():\n    requests.get("https://api.example.com/u/" + str(int(request.args["id"])))  # <- sink\n`,
      ],
      [
        'sanitized',
        `import requests\nfrom urllib.parse import quote\nfrom flask import request\ndef f():\n    requests.get("https://api.example.com/search?q=" + quote(request.args["q"]))  # <- sink\n`,
      ],
      [
        'constant',
        `import requests\nfrom flask import request\ndef f():\n    url = request.args["u"]\n    url = "https://status.example.com"\n    requests.get(url)  # <- sink\n`,
      ],
    ],
  },
  path: {
    rules: ['path-traversal'],
    found: [
      `import os
from flask import request
def download():
    name = request.args["file"]
    full = os.path.join("/srv/files", name)
    with open(full, "rb") as fh:  # <- sink
        return fh.read()
`,
      `from flask import request, send_file
def report():
    year = request.args["year"]
    return send_file(f"/srv/reports/{year}/summary.pdf")  # <- sink
`,
      `import shutil
def view(request):
    src = request.POST["from"]
    dst = request.POST["to"]
    shutil.move(src, dst)  # <- sink
`,
      `from pathlib import Path
from fastapi import FastAPI
app = FastAPI()
UPLOADS = Path("/srv/uploads")
def user_file(user, name):
    return UPLOADS / user / name
@app.delete("/files/{user}/{name}")
def remove(user: str, name: str):
    user_file(user, name).unlink()  # <- sink recv
`,
      `import os
def view(request):
    target = request.GET["log"]
    if target.endswith(".log"):
        os.remove(target)  # <- sink
`,
    ],
    safe: [
      [
        'sanitized',
        `import os\nfrom flask import request\ndef f():\n    name = os.path.basename(request.args["f"])\n    return open(os.path.join("/srv", name)).read()  # <- sink\n`,
      ],
      [
        'sanitized',
        `from werkzeug.utils import secure_filename\nfrom flask import request\ndef f():\n    name = secure_filename(request.files["doc"].filename)\n    open("/srv/uploads/" + name, "wb")  # <- sink\n`,
      ],
      ['constant', `def f():\n    with open("/etc/app/config.ini") as fh:  # <- sink\n        return fh.read()\n`],
      [
        'sanitized',
        `import os\nfrom flask import request, abort\nBASE = "/srv/files"\ndef f():\n    path = os.path.realpath(os.path.join(BASE, request.args["f"]))\n    if not path.startswith(BASE + os.sep):\n        abort(404)\n    return open(path).read()  # <- sink\n`,
      ],
      [
        'sanitized',
        `from flask import request\nREPORTS = {"q1": "/srv/q1.pdf", "q2": "/srv/q2.pdf"}\ndef f():\n    key = request.args["k"]\n    if key in REPORTS:\n        return open(key).read()  # <- sink\n`,
      ],
    ],
  },
  redirect: {
    rules: ['open-redirect'],
    found: [
      `from flask import redirect, request
def login():
    nxt = request.args.get("next") or "/"
    return redirect(nxt)  # <- sink
`,
      `from django.shortcuts import redirect
def view(request):
    target = request.GET.get("return_to")
    if not target:
        target = request.META.get("HTTP_REFERER")
    return redirect(target)  # <- sink
`,
      `from django.http import HttpResponseRedirect as Go
def view(request):
    return Go(request.POST["url"])  # <- sink
`,
      `from flask import redirect, request
def back_to(url):
    return url.strip()
def f():
    return redirect(back_to(request.values["u"]))  # <- sink
`,
      `from starlette.responses import RedirectResponse
from fastapi import FastAPI
app = FastAPI()
@app.get("/go")
def go(dest: str):
    location = "{}".format(dest)
    return RedirectResponse(location)  # <- sink
`,
    ],
    safe: [
      ['constant', `from flask import redirect\ndef f():\n    return redirect("/home")  # <- sink\n`],
      [
        'sanitized',
        `from flask import redirect, request, url_for\ndef f():\n    return redirect(url_for("item", id=request.args["id"]))  # <- sink\n`,
      ],
      [
        'sanitized',
        `from django.shortcuts import redirect\nfrom django.utils.http import url_has_allowed_host_and_scheme\ndef view(request):\n    nxt = request.GET["next"]\n    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts=None):\n        return redirect("/")\n    return redirect(nxt)  # <- sink\n`,
      ],
      [
        'sanitized',
        `from flask import redirect, request\nfrom urllib.parse import quote\ndef f():\n    return redirect(quote(request.args["u"]))  # <- sink\n`,
      ],
      [
        'sanitized',
        `from flask import redirect, request\nPAGES = {"/a", "/b"}\ndef f():\n    dest = request.args["d"]\n    if dest in PAGES:\n        return redirect(dest)  # <- sink\n`,
      ],
      [
        'sanitized',
        `from django.http import HttpResponseRedirect\nfrom django.utils.http import url_has_allowed_host_and_scheme\ndef view(request):\n    nxt = request.POST.get("next")\n    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):\n        nxt = "/"\n    return HttpResponseRedirect(nxt)  # <- sink\n`,
      ],
      [
        'sanitized',
        `from django.http import HttpResponseRedirect\ndef view(request):\n    return HttpResponseRedirect(request.get_full_path() + "?saved=1")  # <- sink\n`,
      ],
    ],
  },
  deserialization: {
    rules: ['unsafe-deserialization'],
    found: [
      `import pickle
from flask import request
def load():
    blob = request.get_data()
    return pickle.loads(blob)  # <- sink
`,
      `import pickle, base64
def view(request):
    token = request.COOKIES["state"]
    raw = base64.b64decode(token)
    return pickle.loads(raw)  # <- sink
`,
      `import marshal
from flask import request
def f():
    payload = request.files["code"].read()
    return marshal.loads(payload)  # <- sink
`,
      `import pickle as pk
from fastapi import FastAPI, Request
app = FastAPI()
@app.post("/state")
async def state(request: Request):
    body = await request.body()
    return pk.loads(body)  # <- sink
`,
      `import jsonpickle
from flask import request
def decode(s):
    return s.encode("utf-8").decode("utf-8")
def f():
    return jsonpickle.decode(decode(request.form["obj"]))  # <- sink
`,
    ],
    safe: [
      ['constant', `import pickle\npickle.loads(b"\\x80\\x04K\\x01.")  # <- sink\n`],
      ['constant', `import pickle\nBLOB = b"\\x80\\x04N."\ndef f():\n    return pickle.loads(BLOB)  # <- sink\n`],
      [
        'sanitized',
        `import pickle\nfrom flask import request\ndef f():\n    key = request.args["k"]\n    if key in KNOWN_BLOBS:\n        return pickle.loads(key)  # <- sink\n`,
      ],
      [
        'constant',
        `import pickle\nfrom flask import request\ndef f():\n    data = request.data\n    data = b"N."\n    return pickle.loads(data)  # <- sink\n`,
      ],
      [
        'sanitized',
        `import pickle\nfrom flask import request\ndef f():\n    return pickle.loads(bytes([int(request.args["b"])]))  # <- sink\n`,
      ],
    ],
  },
  xml: {
    rules: ['xml-external-entities'],
    found: [
      `from lxml import etree
from flask import request
def upload():
    doc = request.get_data()
    return etree.fromstring(doc)  # <- sink
`,
      `import xml.etree.ElementTree as ET
def view(request):
    return ET.fromstring(request.body)  # <- sink
`,
      `from xml.dom import minidom
from flask import request
def f():
    xml = "<root>" + request.form["inner"] + "</root>"
    return minidom.parseString(xml)  # <- sink
`,
      `from lxml import etree
from flask import request
def envelope(body):
    return f"<env>{body}</env>"
def f():
    return etree.fromstring(envelope(request.args["b"]))  # <- sink
`,
      `import xml.sax
import sys
data = sys.stdin.read()
xml.sax.parseString(data, handler)  # <- sink
`,
    ],
    safe: [
      ['constant', `from lxml import etree\netree.fromstring("<a>1</a>")  # <- sink\n`],
      [
        'constant',
        `import xml.etree.ElementTree as ET\nTEMPLATE = "<cfg><debug>0</debug></cfg>"\ndef f():\n    return ET.fromstring(TEMPLATE)  # <- sink\n`,
      ],
      [
        'sanitized',
        `from lxml import etree\nfrom flask import request\ndef f():\n    name = request.args["n"]\n    if name in SAMPLE_DOCS:\n        return etree.fromstring(name)  # <- sink\n`,
      ],
      [
        'constant',
        `from lxml import etree\nfrom flask import request\ndef f():\n    doc = request.data\n    doc = "<empty/>"\n    return etree.fromstring(doc)  # <- sink\n`,
      ],
      [
        'sanitized',
        `from lxml import etree\nfrom flask import request\ndef f():\n    return etree.fromstring("<n>%d</n>" % int(request.args["n"]))  # <- sink\n`,
      ],
    ],
  },
  header: {
    rules: ['header-injection'],
    found: [
      `from flask import make_response, request
def export():
    resp = make_response("data")
    name = request.args["name"]
    resp.headers["Content-Disposition"] = f"attachment; filename={name}"  # <- sink
    return resp
`,
      `from django.http import HttpResponse
def view(request):
    response = HttpResponse()
    lang = request.GET["lang"]
    response["Content-Language"] = lang  # <- sink
    return response
`,
      `from flask import make_response, request
def f():
    resp = make_response("ok")
    resp.set_cookie("pref", request.cookies.get("pref_raw"))  # <- sink arg=1
    return resp
`,
      `from flask import make_response, request
def link_header(url):
    return "<" + url + ">; rel=preload"
def f():
    resp = make_response("ok")
    resp.headers.add("Link", link_header(request.args["asset"]))  # <- sink arg=1
    return resp
`,
      `def view(request, response):
    origin = request.headers.get("Origin")
    allowed = origin if origin else "*"
    response.headers["Access-Control-Allow-Origin"] = allowed  # <- sink
`,
    ],
    safe: [
      ['constant', `def f(resp):\n    resp.headers["X-Frame-Options"] = "DENY"  # <- sink\n`],
      [
        'sanitized',
        `from flask import request\ndef f(resp):\n    resp.headers["X-Page"] = str(int(request.args["p"]))  # <- sink\n`,
      ],
      [
        'sanitized',
        `from urllib.parse import quote\nfrom flask import request\ndef f(resp):\n    resp.headers["Location"] = "/search?q=" + quote(request.args["q"])  # <- sink\n`,
      ],
      [
        'sanitized',
        `from werkzeug.utils import secure_filename\nfrom flask import request\ndef f(resp):\n    name = secure_filename(request.args["n"])\n    resp.headers["Content-Disposition"] = "attachment; filename=" + name  # <- sink\n`,
      ],
      [
        'sanitized',
        `from flask import request\ndef f(resp):\n    enc = request.args["enc"]\n    if enc in ("gzip", "br"):\n        resp.headers["Content-Encoding"] = enc  # <- sink\n`,
      ],
    ],
  },
  ldap: {
    rules: ['ldap-injection'],
    found: [
      `import ldap
from flask import request
def login(conn):
    user = request.form["user"]
    flt = "(&(objectClass=person)(uid=" + user + "))"
    return conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, flt)  # <- sink arg=2
`,
      `from ldap3 import Connection
def view(request, conn):
    cn = request.GET["cn"]
    conn.search("dc=example,dc=com", f"(cn={cn})")  # <- sink arg=1
`,
      `import ldap
from flask import request
def member_filter(group):
    return "(memberOf=cn=%s,ou=groups)" % group
def f(conn):
    conn.search_s("dc=x", ldap.SCOPE_SUBTREE, member_filter(request.args["g"]))  # <- sink arg=2
`,
      `import ldap
from flask import request
def f(conn):
    parts = []
    for name in request.args.getlist("uid"):
        parts.append("(uid=%s)" % name)
    conn.search_ext_s("dc=x", ldap.SCOPE_SUBTREE, "(|" + "".join(parts) + ")")  # <- sink arg=2
`,
      `from ldap3 import Connection
from fastapi import FastAPI
app = FastAPI()
@app.get("/people")
def people(mail: str, conn=None):
    query = "(mail={})".format(mail)
    conn.search(search_base="dc=x", search_filter=query)  # <- sink kw=search_filter
`,
    ],
    safe: [
      [
        'sanitized',
        `import ldap\nfrom ldap.filter import escape_filter_chars\nfrom flask import request\ndef f(conn):\n    conn.search_s("dc=x", ldap.SCOPE_SUBTREE, "(uid=%s)" % escape_filter_chars(request.args["u"]))  # <- sink arg=2\n`,
      ],
      [
        'constant',
        `import ldap\ndef f(conn):\n    conn.search_s("dc=x", ldap.SCOPE_SUBTREE, "(objectClass=person)")  # <- sink arg=2\n`,
      ],
      [
        'sanitized',
        `from ldap3 import Connection\nfrom ldap3.utils.conv import escape_filter_chars\ndef view(request, conn):\n    cn = escape_filter_chars(request.GET["cn"])\n    conn.search("dc=x", "(cn=" + cn + ")")  # <- sink arg=1\n`,
      ],
      [
        'sanitized',
        `import ldap\nfrom flask import request\ndef f(conn):\n    uid = request.args["uid"]\n    if not uid.isalnum():\n        return None\n    return conn.search_s("dc=x", ldap.SCOPE_SUBTREE, f"(uid={uid})")  # <- sink arg=2\n`,
      ],
      [
        'sanitized',
        `import ldap\nfrom flask import request\ndef f(conn):\n    n = int(request.args["n"])\n    return conn.search_s("dc=x", ldap.SCOPE_SUBTREE, f"(employeeNumber={n})")  # <- sink arg=2\n`,
      ],
    ],
  },
  regex: {
    rules: ['regex-injection'],
    found: [
      `import re
from flask import request
def search():
    return re.compile(request.args["q"])  # <- sink
`,
      `import re
def view(request):
    term = request.GET.get("term", "")
    return [n for n in NAMES if re.search(term, n)]  # <- sink
`,
      `import re
from flask import request
def rules():
    return [re.compile(p) for p in request.json["patterns"]]  # <- sink
`,
      `import re
from flask import request
def redact():
    return re.sub(pattern=request.form["p"], repl="*", string=TEXT)  # <- sink kw=pattern
`,
      `import re
from flask import request
def words():
    sep = "[" + request.args["sep"] + "]"
    return re.split(sep, TEXT)  # <- sink
`,
    ],
    safe: [
      [
        'sanitized',
        `import re
from flask import request
def search():
    return re.compile(re.escape(request.args["q"]))  # <- sink
`,
      ],
      [
        'sanitized',
        `import re
from flask import request
def fuzzy():
    return re.compile(".*".join(map(re.escape, request.args["q"])))  # <- sink
`,
      ],
      [
        'sanitized',
        `import re
from flask import request
def digits():
    return re.compile("x{%d}" % int(request.args["n"]))  # <- sink
`,
      ],
      [
        'constant',
        `import re
def words(text):
    return re.findall(r"\\w+", text)  # <- sink
`,
      ],
      [
        'sanitized',
        `import re
from flask import request
def split():
    sep = request.args["sep"]
    if sep in (",", ";"):
        return re.split(sep, TEXT)  # <- sink
`,
      ],
    ],
  },
  log: {
    rules: ['log-injection'],
    found: [
      `import logging
from flask import request
def login():
    logging.warning("failed login for %s", request.form["user"])  # <- sink arg=1
`,
      `import logging
logger = logging.getLogger(__name__)
def view(request):
    logger.info(f"search: {request.GET['q']}")  # <- sink
`,
      `import logging
from flask import request
logger = logging.getLogger(__name__)
def view():
    agent = request.headers.get("User-Agent", "")
    logger.info("agent " + agent)  # <- sink
`,
      `import logging
from flask import request
logger = logging.getLogger(__name__)
def view():
    logger.error("bad input %s" % request.args["x"].strip())  # <- sink
`,
      `import logging
from flask import request
logger = logging.getLogger(__name__)
def view():
    name = request.args["name"].lower()
    logger.info("hello %s", name)  # <- sink arg=1
`,
    ],
    safe: [
      [
        'sanitized',
        `import logging
from flask import request
def view():
    logging.info("q %s", request.args["q"].replace("\\n", "\\\\n"))  # <- sink arg=1
`,
      ],
      [
        'sanitized',
        `import logging
from flask import request
def view():
    logging.info("q %s", repr(request.args["q"]))  # <- sink arg=1
`,
      ],
      [
        'sanitized',
        `import json, logging
from flask import request
def view():
    logging.info("body %s", json.dumps(request.get_json()))  # <- sink arg=1
`,
      ],
      [
        'sanitized',
        `import logging
from flask import request
def view():
    logging.info("page %s", int(request.args["page"]))  # <- sink arg=1
`,
      ],
      [
        'constant',
        `import logging
def view():
    logging.info("started %s", "worker")  # <- sink arg=1
`,
      ],
    ],
  },
  number: {
    rules: ['nan-injection'],
    found: [
      `from flask import request
def pay():
    amount = request.form["amount"]
    if float(amount) > LIMIT:  # <- sink
        abort(400)
`,
      `def view(request):
    if float(request.GET["ratio"]) < 0.5:  # <- sink
        return None
`,
      `from flask import request
def pay():
    raw = request.get_json()["amount"]
    if float(raw) <= 0:  # <- sink
        abort(400)
`,
      `from fastapi import FastAPI
app = FastAPI()
@app.get("/bid")
def bid(offer: str):
    if float(offer.strip()) < MINIMUM:  # <- sink
        return None
`,
      `from flask import request
def pay():
    if BALANCE - float(request.args.get("price", "0")) < 0:  # <- sink
        abort(400)
`,
    ],
    safe: [
      [
        'sanitized',
        `from flask import request
def pay():
    amount = float(int(request.form["amount"]))  # <- sink
    if amount > LIMIT:
        abort(400)
`,
      ],
      [
        'sanitized',
        `from flask import request
def pay():
    raw = request.form["amount"]
    if not raw.isdigit():
        abort(400)
    amount = float(raw)  # <- sink
    if amount > LIMIT:
        abort(400)
`,
      ],
      [
        'sanitized',
        `from flask import request
def pay():
    amount = float(len(request.form["items"]))  # <- sink
    if amount > LIMIT:
        abort(400)
`,
      ],
      [
        'constant',
        `def pay():
    amount = float("1.5")  # <- sink
    if amount > LIMIT:
        abort(400)
`,
      ],
      [
        'sanitized',
        `from flask import request
def pay():
    raw = request.form["amount"]
    if raw in ("1", "5", "10"):
        amount = float(raw)  # <- sink
        if amount > LIMIT:
            abort(400)
`,
      ],
    ],
  },
  xpath: {
    rules: ['xpath-injection'],
    found: [
      `from flask import request
from lxml import etree
def find(tree):
    name = request.args["name"]
    return tree.xpath(f"//user[@name='{name}']")  # <- sink
`,
      `from lxml import etree
def search(request):
    expr = etree.XPath("//product[contains(name, '%s')]" % request.GET["q"])  # <- sink
    return expr
`,
      `from flask import request
from lxml import etree
def login(users):
    q = "//user[name='" + request.form["name"] + "']"
    return users.xpath(q)  # <- sink
`,
      `import elementpath
from flask import request
def select(root):
    path = "//item[@id='{}']".format(request.args["id"])
    return elementpath.select(root, path)  # <- sink arg=1
`,
      `from lxml import etree
from fastapi import FastAPI
app = FastAPI()
@app.get("/nodes")
def nodes(tag: str, doc=None):
    return doc.xpath("//" + tag)  # <- sink
`,
    ],
    safe: [
      [
        'sanitized',
        `from flask import request\nfrom lxml import etree\ndef f(tree):\n    n = int(request.args["n"])\n    return tree.xpath(f"//item[{n}]")  # <- sink\n`,
      ],
      [
        'sanitized',
        `from flask import request\nfrom lxml import etree\nFIELDS = {"title", "author"}\ndef f(tree):\n    field = request.args["field"]\n    if field not in FIELDS:\n        return []\n    return tree.xpath(f"//book/{field}/text()")  # <- sink\n`,
      ],
      [
        'sanitized',
        `from flask import request\nfrom lxml import etree\ndef f(tree):\n    tag = request.args["tag"]\n    if not tag.isalnum():\n        return []\n    return tree.xpath("//" + tag)  # <- sink\n`,
      ],
      [
        'constant',
        `from lxml import etree\ndef f(tree):\n    return tree.xpath("//user[@name=$name]", name="x")  # <- sink\n`,
      ],
      [
        'constant',
        `from lxml import etree\nROOT = "//catalog"\ndef f(tree):\n    return tree.xpath(ROOT + "/book[@id=$id]", id=1)  # <- sink\n`,
      ],
    ],
  },
};

describe.each(Object.entries(FAMILIES) as [SinkFamily, FamilyCases][])('%s', (family, cases) => {
  const rules = cases.rules.map((id) => rulesById.get(id)).filter((rule) => rule !== undefined);

  it('has at least 5 flows to find and 5 to leave alone', () => {
    expect(cases.found.length).toBeGreaterThanOrEqual(5);
    expect(cases.safe.length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases.found.map((code, i) => [i, code] as const))(
    'origin() traces found flow #%i from a source to the sink',
    (_i, code) => {
      const origin = originAtMarker(code, family);
      expect(origin.kind).toBe('source');
      expect(origin.trace.length).toBeGreaterThan(1);
      expect(origin.trace.at(-1)!.line).toBe(markerLine(code));
    },
  );

  it.each(cases.safe.map(([kind, code], i) => [i, kind, code] as const))(
    'origin() clears safe flow #%i as %s',
    (_i, kind, code) => {
      expect(originAtMarker(code, family).kind).toBe(kind);
    },
  );

  it('is reported by a registered rule', () => {
    expect(rules.length).toBeGreaterThan(0);
  });

  it.each(cases.found.map((code, i) => [i, code] as const))(
    'the rules report found flow #%i with its trace',
    (_i, code) => {
      const { findings, ruleErrors } = scanSource('example.py', code, { rules });
      expect(ruleErrors).toEqual([]);
      const atSink = findings.filter((f) => f.line === markerLine(code));
      expect(atSink.length).toBeGreaterThan(0);
      expect(
        atSink.some(
          (f) => f.trace?.at(-1)?.line === markerLine(code) && /read here|route parameter/.test(f.trace[0].note),
        ),
      ).toBe(true);
    },
  );

  it.each(cases.safe.map(([, code], i) => [i, code] as const))(
    'the rules report no tainted flow for safe flow #%i',
    (_i, code) => {
      const { findings, ruleErrors } = scanSource('example.py', code, { rules });
      expect(ruleErrors).toEqual([]);
      expect(findings.filter((f) => f.trace !== undefined)).toEqual([]);
    },
  );
});
