import { createRule } from '../create-rule.js';
import { hasFixedHost, leadingText, tracedSource } from '../support/tainted-sink.js';

/** Responses that redirect the browser, with where the target goes. */
const REDIRECTS = new Map<string, [number, string]>([
  ['flask.redirect', [0, 'location']],
  ['flask.helpers.redirect', [0, 'location']],
  ['werkzeug.utils.redirect', [0, 'location']],
  ['quart.redirect', [0, 'location']],
  ['django.shortcuts.redirect', [0, 'to']],
  ['django.http.HttpResponseRedirect', [0, 'redirect_to']],
  ['django.http.HttpResponsePermanentRedirect', [0, 'redirect_to']],
  ['django.http.response.HttpResponseRedirect', [0, 'redirect_to']],
  ['django.http.response.HttpResponsePermanentRedirect', [0, 'redirect_to']],
  ['starlette.responses.RedirectResponse', [0, 'url']],
  ['fastapi.responses.RedirectResponse', [0, 'url']],
  ...['HTTPFound', 'HTTPSeeOther', 'HTTPMovedPermanently', 'HTTPTemporaryRedirect', 'HTTPPermanentRedirect'].flatMap(
    (name) =>
      [`aiohttp.web.${name}`, `aiohttp.web_exceptions.${name}`].map((callee): [string, [number, string]] => [
        callee,
        [0, 'location'],
      ]),
  ),
]);

/** A target that starts with one `/` (not `//`, not `/\`) stays on this site. */
function isLocalPath(prefix: string): boolean {
  return /^\/(?![/\\])./.test(prefix);
}

export default createRule({
  id: 'open-redirect',
  meta: {
    title: 'Redirect to a URL from untrusted input',
    category: 'injection',
    cwe: [601],
    severity: 'medium',
    confidence: 'high',
    equivalents: {},
    messages: {
      tainted: '`{{fn}}` redirects to a URL that comes from {{source}}',
    },
    docs: {
      why: 'A redirect whose target comes from the request (`?next=https://evil.example`) lets anyone craft a link on your domain that lands the victim on their site: a convincing start for phishing, and a way to steal OAuth codes or tokens that ride along in the redirect.',
      example:
        'from flask import redirect, request\n\n@app.post("/login")\ndef login():\n    return redirect(request.args.get("next", "/"))',
      fix: 'Redirect only to pages you name, or check the target first: Django has `url_has_allowed_host_and_scheme`; in Flask, let the input pick from an allow-list of endpoints and build the URL with `url_for`.\n\n```python\nfrom flask import redirect, request, url_for\n\nSAFE_PAGES = {"home", "profile", "settings"}\n\n@app.post("/login")\ndef login():\n    page = request.args.get("next", "home")\n    if page not in SAFE_PAGES:\n        page = "home"\n    return redirect(url_for(page))\n```',
      knownProblems:
        'Only flows from web request data or route parameters are reported, with their trace; a target of unknown origin, such as a function parameter, is not, because redirects to computed URLs are everywhere. Targets that visibly start with one `/` or with a fixed scheme and host are not reported. A redirect to the request\'s own URL (`request.path`, `get_full_path()`) is not reported. Checks are recognised when they are `url_has_allowed_host_and_scheme(...)`/`is_safe_url(...)` or an allow-list test (`if target in ALLOWED`) on the variable itself, guarding the redirect, exiting early, or replacing the value (`if not is_safe(url): url = "/"`); other checks are not.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html',
        'https://cwe.mitre.org/data/definitions/601.html',
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.http.url_has_allowed_host_and_scheme',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const callee = context.calleeName(node);
      const argument = callee ? REDIRECTS.get(callee) : undefined;
      if (!argument) return;
      const target = context.argument(node, argument[0], argument[1]);
      if (!target) return;
      const prefix = leadingText(context, target);
      if (isLocalPath(prefix) || hasFixedHost(prefix)) return;
      const flow = tracedSource(context, [target], 'redirect');
      if (!flow) return;
      context.report({
        node,
        messageId: 'tainted',
        data: { fn: callee!, source: flow.origin.source ?? 'untrusted input' },
        confidence: flow.origin.confidence,
        origin: flow.origin,
      });
    },
  },
  tests: {
    valid: [
      'from flask import redirect, request\n\ndef f():\n    return redirect("/profile/" + request.args["user"])',
      'from django.shortcuts import redirect\nfrom django.utils.http import url_has_allowed_host_and_scheme\n\ndef view(request):\n    nxt = request.GET.get("next")\n    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):\n        return redirect(nxt)\n    return redirect("/")',
      'from flask import redirect\n\ndef go(url):\n    return redirect(url)',
      'from flask import redirect, request, url_for\n\ndef f():\n    return redirect(url_for("show", page=request.args["page"]))',
      'from aiohttp import web\n\nasync def logout(request):\n    raise web.HTTPFound("/login?next=" + request.path)',
      'from aiohttp import web\n\nasync def old(request):\n    data = await request.json()\n    raise web.HTTPMovedPermanently(f"/articles/{data[\'slug\']}")',
      'from aiohttp import web\n\nasync def docs(request):\n    data = await request.json()\n    raise web.HTTPFound(f"https://docs.example.com/{data[\'page\']}")',
      'from aiohttp import web\n\nPAGES = {"home": "/", "account": "/account"}\n\nasync def go(request):\n    data = await request.json()\n    raise web.HTTPSeeOther(PAGES[data["page"]])',
    ],
    invalid: [
      {
        code: 'from flask import redirect, request\n\ndef f():\n    return redirect(request.args.get("next", "/"))',
        errors: [{ messageId: 'tainted', line: 4, confidence: 'high', message: 'request.args' }],
      },
      {
        code: 'from django.http import HttpResponseRedirect\n\ndef view(request):\n    target = request.POST["return_to"]\n    if not target:\n        target = "/"\n    return HttpResponseRedirect(target)',
        errors: [{ messageId: 'tainted', line: 7, message: 'Django' }],
      },
      {
        code: 'from fastapi.responses import RedirectResponse\nfrom fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/out")\ndef out(to: str):\n    return RedirectResponse(url=to)',
        errors: [{ messageId: 'tainted', line: 7 }],
      },
      {
        code: 'from aiohttp import web\n\nasync def login(request):\n    data = await request.json()\n    raise web.HTTPFound(data.get("next", "/"))',
        errors: [{ messageId: 'tainted', line: 5, message: 'aiohttp.web.HTTPFound' }],
      },
      {
        code: 'from aiohttp import web\n\nasync def after(request):\n    body = await request.json()\n    return web.HTTPSeeOther(location=body["return_to"])',
        errors: [{ messageId: 'tainted', line: 5, message: 'HTTPSeeOther' }],
      },
      {
        code: 'from aiohttp.web_exceptions import HTTPTemporaryRedirect\n\nasync def mirror(request):\n    body = await request.json()\n    raise HTTPTemporaryRedirect("//" + body["host"] + "/files")',
        errors: [{ messageId: 'tainted', line: 5 }],
      },
    ],
  },
});
