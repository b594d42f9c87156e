import { describe, expect, it } from '@jest/globals';
import { FileAnalysis } from '../../src/engine/context.js';
import { scanSource } from '../../src/engine/index.js';
import { parsePython } from '../../src/engine/parser.js';
import { rulesById } from '../../src/rules/index.js';
import { markerLine, originAtMarker } from './helpers.js';

/** Sources of web frameworks, servers and workers beyond Flask, Django's function views and FastAPI. */
describe('framework sources', () => {
  const at = (code: string) => originAtMarker(code, 'command');

  it.each([
    [
      'aiohttp request.query',
      'from aiohttp import web\nasync def handle(request):\n    os.system(request.query["cmd"])  # <- sink',
      'request.query (aiohttp)',
      'high',
    ],
    [
      'aiohttp request.match_info in an annotated handler',
      'from aiohttp import web\nasync def handle(req: web.Request):\n    name = req.match_info["name"]\n    os.system("ls " + name)  # <- sink',
      'req.match_info (aiohttp)',
      'high',
    ],
    [
      'aiohttp await request.post()',
      'import aiohttp.web\nasync def upload(request):\n    form = await request.post()\n    os.system(form["cmd"])  # <- sink',
      'request.post() (aiohttp)',
      'high',
    ],
    [
      'aiohttp request.rel_url.query',
      'from aiohttp import web\nasync def handle(request):\n    os.system(request.rel_url.query["c"])  # <- sink',
      'request.rel_url (aiohttp)',
      'high',
    ],
    [
      'the first parameter of a registered aiohttp handler, whatever its name',
      'from aiohttp import web\nasync def hello(r):\n    os.system(r.query["c"])  # <- sink\napp = web.Application()\napp.add_routes([web.get("/", hello)])',
      'r.query (aiohttp)',
      'high',
    ],
    [
      'aiohttp self.request in a web.View',
      'from aiohttp import web\nclass V(web.View):\n    async def get(self):\n        os.system(self.request.query["c"])  # <- sink',
      'self.request.query (aiohttp)',
      'high',
    ],
    [
      'a Django URL capture in a decorated function view',
      'from django.contrib.auth.decorators import login_required\n@login_required\ndef export(request, name):\n    os.system("tar czf out.tgz " + name)  # <- sink',
      'URL capture `name` (Django)',
      'medium',
    ],
    [
      'a URL capture of a class-based view method',
      'from django.views import View\nclass Export(View):\n    def get(self, request, name):\n        os.system(name)  # <- sink',
      'URL capture `name` (Django)',
      'high',
    ],
    [
      'a DRF viewset capture with a default',
      'from rest_framework import viewsets\nclass Jobs(viewsets.ViewSet):\n    def retrieve(self, request, pk=None):\n        os.system("show " + pk)  # <- sink',
      'URL capture `pk` (Django)',
      'high',
    ],
    [
      'self.kwargs in a class-based view',
      'from django.views.generic import DetailView\nclass D(DetailView):\n    def get_object(self):\n        os.system(self.kwargs["slug"])  # <- sink',
      'self.kwargs (Django URL captures)',
      'high',
    ],
    [
      'self.path in an http.server handler',
      'from http.server import BaseHTTPRequestHandler\nclass H(BaseHTTPRequestHandler):\n    def do_GET(self):\n        os.system(self.path[1:])  # <- sink',
      'self.path (http.server)',
      'high',
    ],
    [
      'a query string parsed from self.path',
      'from http.server import BaseHTTPRequestHandler\nfrom urllib.parse import parse_qs, urlparse\nclass H(BaseHTTPRequestHandler):\n    def do_GET(self):\n        q = parse_qs(urlparse(self.path).query)\n        os.system(q["c"][0])  # <- sink',
      'self.path (http.server)',
      'high',
    ],
    [
      'the body read from self.rfile in a handler of a local base class',
      'import http.server\nclass Base(http.server.SimpleHTTPRequestHandler):\n    pass\nclass H(Base):\n    def do_POST(self):\n        body = self.rfile.read(int(self.headers["Content-Length"]))\n        os.system(body.decode())  # <- sink',
      'self.rfile (http.server)',
      'high',
    ],
    [
      'an AWS Lambda event',
      'def lambda_handler(event, context):\n    os.system(event["queryStringParameters"]["cmd"])  # <- sink',
      'AWS Lambda event',
      'high',
    ],
    ['a queued job payload', 'def run(job):\n    os.system(job["command"])  # <- sink', 'job payload `job`', 'low'],
    [
      'an SQS message body',
      'import boto3\ndef consume(message):\n    os.system(message.body)  # <- sink',
      'job payload `message`',
      'low',
    ],
    [
      "a pika consumer's body",
      'import pika\ndef on_message(ch, method, properties, body):\n    os.system(body.decode())  # <- sink',
      'job payload `body`',
      'low',
    ],
  ])('recognises %s', (_name, code, source, confidence) => {
    expect(at(code)).toMatchObject({ kind: 'source', source, confidence, remote: true });
  });

  it.each([
    [
      'request.query outside aiohttp (no such attribute elsewhere)',
      'def handle(request):\n    os.system(request.query["c"])  # <- sink',
    ],
    [
      'a Django view parameter with a default (URLconf options)',
      'from django.contrib.auth.decorators import login_required\n@login_required\ndef serve(request, path, root=None):\n    os.system(root)  # <- sink',
    ],
    [
      'a helper that takes the request first, outside a views module and undecorated',
      'from django.db import models\ndef label_for(request, model):\n    os.system(model)  # <- sink',
    ],
    [
      'self.kwargs in a class that is not a view',
      'import django\nclass Task:\n    def run(self):\n        os.system(self.kwargs["c"])  # <- sink',
    ],
    [
      'self.path in a class that is not a request handler',
      'import http.server\nclass Walker:\n    def go(self):\n        os.system(self.path)  # <- sink',
    ],
    [
      'a helper in a views module that the views call with a loaded object',
      'from django.shortcuts import get_object_or_404\nfrom django.views.decorators.csrf import csrf_protect\n@csrf_protect\ndef render_page(request, page):\n    os.system(page.title)  # <- sink\ndef page_view(request, url):\n    return render_page(request, get_object_or_404(Page, url=url))',
    ],
    [
      'a function taking event and another second parameter',
      'def on_click(event, widget):\n    os.system(event["x"])  # <- sink',
    ],
    [
      'the first parameter of an aiohttp function that is not registered',
      'from aiohttp import web\nasync def helper(r):\n    os.system(r.query["c"])  # <- sink',
    ],
    ['a `message` parameter without a messaging library', 'def log(message):\n    os.system(message)  # <- sink'],
  ])('does not treat %s as a source', (_name, code) => {
    expect(at(code).kind).not.toBe('source');
  });

  it('treats the required parameters of a function in a views module as URL captures', () => {
    const code = 'from django.http import HttpResponse\ndef show(request, name):\n    os.system(name)\n';
    const origin = (path: string) => {
      const analysis = new FileAnalysis(path, code, parsePython(code, 5000));
      const call = analysis.tree.rootNode.descendantsOfType('call')[0];
      return analysis.origin(call.childForFieldName('arguments')!.namedChildren[0], 'command');
    };
    expect(origin('shop/views.py')).toMatchObject({ kind: 'source', source: 'URL capture `name` (Django)' });
    expect(origin('shop/views/orders.py').kind).toBe('source');
    expect(origin('shop/helpers.py').kind).not.toBe('source');
  });

  it('lets a redirect back to the requested path of an http.server handler pass', () => {
    const code =
      'from http.server import BaseHTTPRequestHandler\nclass H(BaseHTTPRequestHandler):\n    def do_GET(self):\n        self.send_header("Location", self.path + "/")  # <- sink arg=1';
    expect(originAtMarker(code, 'redirect').kind).not.toBe('source');
  });
});

describe('database lookups', () => {
  it.each([
    ['get_object_or_404', 'page = get_object_or_404(Page, pk=pk)'],
    ['a manager lookup', 'page = Page.objects.get(pk=pk)'],
    ['a content type lookup', 'page = content_type.get_object_for_this_type(pk=pk)'],
  ])('do not make the row of %s carry the captured id', (_name, lookup) => {
    const code = `from django.shortcuts import get_object_or_404
from django.views import View
class Show(View):
    def get(self, request, pk):
        ${lookup}
        os.system(page.command)  # <- sink
`;
    expect(originAtMarker(code, 'command').kind).toBe('unknown');
  });

  it('still follows the id itself', () => {
    const code = `from django.views import View
class Show(View):
    def get(self, request, pk):
        Page.objects.get(pk=pk)
        os.system("show " + pk)  # <- sink
`;
    expect(originAtMarker(code, 'command').kind).toBe('source');
  });
});

describe('attributes of self across methods', () => {
  it('follows a value stored into self in one method and read in another', () => {
    const code = `from flask import request
class Fetcher:
    def load(self):
        self.url = request.args["u"]
    def fetch(self):
        return requests.get(self.url)  # <- sink
`;
    const origin = originAtMarker(code, 'ssrf');
    expect(origin).toMatchObject({ kind: 'source', source: 'request.args (Flask)' });
    expect(origin.trace.map((s) => `${s.line}: ${s.note}`)).toEqual([
      '4: request.args read here',
      '4: stored into self.url',
      '6: used as a request URL here',
    ]);
  });

  it('keeps other attributes of self apart', () => {
    const code = `from flask import request
class Fetcher:
    def __init__(self):
        self.base = "https://api.example.com"
    def load(self):
        self.term = request.args["q"]
    def fetch(self):
        return requests.get(self.base)  # <- sink
`;
    expect(originAtMarker(code, 'ssrf').kind).not.toBe('source');
  });

  it('does not carry stores from another class', () => {
    const code = `from flask import request
class A:
    def load(self):
        self.url = request.args["u"]
class B:
    def fetch(self):
        return requests.get(self.url)  # <- sink
`;
    expect(originAtMarker(code, 'ssrf').kind).not.toBe('source');
  });
});

/** Each new source, in a realistic handler, reaching a sink rule that existed before it. */
describe('new sources reach the existing sink rules', () => {
  it.each([
    [
      'aiohttp query to SSRF',
      'ssrf',
      `import aiohttp
from aiohttp import web
async def preview(request):
    async with aiohttp.ClientSession() as session:
        async with session.get(request.query["url"]) as resp:  # <- sink
            return web.Response(text=await resp.text())
`,
      'high',
    ],
    [
      'aiohttp match_info to SQL',
      'sql-injection',
      `from aiohttp import web
async def user(request):
    name = request.match_info["name"]
    row = await request.app["db"].fetchrow(f"SELECT * FROM users WHERE name = '{name}'")
    cursor.execute("DELETE FROM sessions WHERE user = '%s'" % name)  # <- sink
    return web.json_response(dict(row))
`,
      'high',
    ],
    [
      'a Django class-based view capture to SQL',
      'sql-injection',
      `from django.db import connection
from django.views import View
class Report(View):
    def get(self, request, table):
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM " + table)  # <- sink
`,
      'high',
    ],
    [
      'self.kwargs to a file path',
      'path-traversal',
      `from django.http import FileResponse
from django.views.generic import TemplateView
class Download(TemplateView):
    def get(self, request, *args, **kwargs):
        return FileResponse(open("/srv/exports/" + self.kwargs["name"], "rb"))  # <- sink
`,
      'high',
    ],
    [
      'an http.server path to a file path',
      'path-traversal',
      `import os
from http.server import BaseHTTPRequestHandler
class Files(BaseHTTPRequestHandler):
    def do_GET(self):
        with open(os.path.join("/srv/www", self.path.lstrip("/")), "rb") as fh:  # <- sink
            self.wfile.write(fh.read())
`,
      'high',
    ],
    [
      'an http.server query string to a shell command',
      'os-command-injection',
      `import os
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlparse
class Ping(BaseHTTPRequestHandler):
    def do_GET(self):
        host = parse_qs(urlparse(self.path).query)["host"][0]
        os.system("ping -c 1 " + host)  # <- sink
`,
      'high',
    ],
    [
      'a Lambda event to a shell command',
      'subprocess-shell-true',
      `import subprocess
def lambda_handler(event, context):
    name = event["pathParameters"]["name"]
    subprocess.run(f"convert {name} out.png", shell=True)  # <- sink
`,
      'high',
    ],
    [
      'a job payload to SSRF, at low confidence',
      'ssrf',
      `import requests
def fetch(job):
    return requests.get(job["url"], timeout=10)  # <- sink
`,
      'low',
    ],
    [
      'a job payload to eval, at low confidence',
      'code-injection',
      `def evaluate(step, row):
    return eval(step["expression"], {}, {"row": row})  # <- sink
`,
      'low',
    ],
    [
      'a URL stored into self in one method and fetched in another',
      'ssrf',
      `import requests
from flask import request
class Importer:
    def configure(self):
        self.feed = request.form["feed"]
    def run(self):
        return requests.get(self.feed, timeout=5)  # <- sink
`,
      'high',
    ],
  ])('%s', (_name, ruleId, code, confidence) => {
    const { findings, ruleErrors } = scanSource('example.py', code, { rules: [rulesById.get(ruleId)!] });
    expect(ruleErrors).toEqual([]);
    const atSink = findings.filter((f) => f.line === markerLine(code));
    expect(atSink).toEqual([expect.objectContaining({ ruleId, confidence })]);
    expect(atSink[0].trace?.length).toBeGreaterThan(1);
  });
});
