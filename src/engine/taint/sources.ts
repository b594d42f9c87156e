import type { Binding } from '../scopes.js';
import type { SyntaxNode } from '../types.js';
import {
  classOfMethod,
  handlerAttributeSource,
  handlerParameterSource,
  isAiohttpHandlerRequest,
  isCalledInModule,
  isViewClass,
  isViewsModule,
} from './handler-sources.js';
import type { SinkFamily } from './origin.js';
import {
  parameterDeclaration,
  parameterNames,
  type ParameterName,
  type SourceHost,
  type SourceMatch,
} from './source-match.js';

/**
 * The URL of the current request. Redirecting to it (back to the same page, to the login
 * page and back) is what sites do; it is client data everywhere else.
 */
const OWN_URL = new Set(['path', 'path_info', 'full_path', 'url', 'base_url', 'get_full_path', 'build_absolute_uri']);
const HARMLESS_FOR_REDIRECTS: ReadonlySet<SinkFamily> = new Set<SinkFamily>(['redirect']);

/** Module-level request proxies. */
const REQUEST_GLOBALS: ReadonlyMap<string, string> = new Map([
  ['flask.request', 'Flask'],
  ['quart.request', 'Quart'],
  ['bottle.request', 'Bottle'],
]);

/** Attributes of a web request that carry client data (Flask, Django, Starlette/FastAPI, DRF). */
const REQUEST_ATTRIBUTES = new Set([
  'args',
  'form',
  'values',
  'json',
  'cookies',
  'headers',
  'files',
  'data',
  'view_args',
  'stream',
  'url',
  'base_url',
  'full_path',
  'path',
  'query_string',
  'host',
  'referrer',
  'authorization',
  'user_agent',
  'GET',
  'POST',
  'COOKIES',
  'META',
  'body',
  'FILES',
  'path_info',
  'query_params',
  'path_params',
  'raw_post_data',
]);

/** Request attributes and methods only aiohttp has: `request.query`, `request.match_info`, `await request.post()`. */
const AIOHTTP_ATTRIBUTES = new Set(['query', 'match_info', 'rel_url', 'raw_path', 'content']);
const AIOHTTP_METHODS = new Set(['post', 'text', 'multipart']);

/** Request attributes only Django spells this way. */
const DJANGO_ATTRIBUTES = new Set(['GET', 'POST', 'COOKIES', 'META', 'FILES', 'body', 'path_info']);

/** Methods of a web request that return client data. */
const REQUEST_METHODS = new Set([
  'get_json',
  'get_data',
  'form',
  'json',
  'body',
  'stream',
  'get_full_path',
  'build_absolute_uri',
  'get_host',
  'read',
  'readline',
  'readlines',
]);

/** Parameter annotations that mark a request object. */
const REQUEST_ANNOTATIONS = new Set(['Request', 'HttpRequest', 'WSGIRequest', 'ASGIRequest', 'WebSocket']);

/** Route parameters of these types are framework objects, not client data. */
const FRAMEWORK_ANNOTATIONS = new Set([
  ...REQUEST_ANNOTATIONS,
  'Response',
  'BackgroundTasks',
  'Session',
  'AsyncSession',
  'SecurityScopes',
]);

/** Decorator methods that register a route: `@app.route`, `@bp.get`, `@router.post`, … */
const ROUTE_DECORATORS = new Set([
  'route',
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'websocket',
  'api_route',
  'add_route',
]);

/** Defaults that make FastAPI inject a dependency instead of client data. */
const DEPENDENCY_DEFAULTS = new Set(['Depends', 'Security', 'fastapi.Depends', 'fastapi.Security']);

const FILE_OPENERS = new Set(['open', 'io.open', 'codecs.open', 'gzip.open', 'bz2.open', 'lzma.open']);
const FILE_READS = new Set(['read', 'readline', 'readlines', 'read_text', 'read_bytes']);
const SOCKET_READS = new Set(['recv', 'recvfrom', 'recvmsg']);

const ENVIRONMENT = new Set(['os.environ', 'os.environb']);
const ENVIRONMENT_CALLS = new Set(['os.getenv', 'os.getenvb']);

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
}

function frameworkOf(host: SourceHost): string {
  if (host.isModuleImported('aiohttp')) return 'aiohttp';
  if (host.isModuleImported('fastapi')) return 'FastAPI';
  if (host.isModuleImported('starlette')) return 'Starlette';
  if (host.isModuleImported('django') || host.isModuleImported('rest_framework')) return 'Django';
  if (host.isModuleImported('flask')) return 'Flask';
  return 'web request';
}

function annotationName(declaration: SyntaxNode): string | undefined {
  const type = declaration.childForFieldName('type');
  if (!type) return undefined;
  // `Request`, `starlette.requests.Request`, `Optional[Request]` → the last dotted name.
  return /([A-Za-z_]\w*)\s*(?:\]|$)/.exec(type.text.trim())?.[1];
}

/** Methods of class-based views (Django, DRF viewsets) that receive the request after `self`. */
const VIEW_METHODS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'dispatch',
  'list',
  'retrieve',
  'create',
  'update',
  'partial_update',
  'destroy',
]);

/**
 * True for a parameter that holds the request object of a view: annotated as a request, or
 * named `request` where a view takes it (first parameter of a function, or after `self` in
 * an HTTP-method handler or a decorated method). A `request` parameter elsewhere (a
 * urllib handler's `http_request(self, request)`) is some other kind of request.
 */
function isRequestParameter(binding: Binding): boolean {
  if (binding.kind !== 'parameter') return false;
  const annotation = annotationName(parameterDeclaration(binding.node));
  if (annotation !== undefined) return REQUEST_ANNOTATIONS.has(annotation);
  if (binding.name !== 'request' && binding.name !== 'req') return false;
  const fn = binding.statement;
  if (fn.type !== 'function_definition') return false;
  const position = parameterNames(fn.childForFieldName('parameters')).findIndex((p) => p.node.id === binding.node.id);
  const isMethod =
    fn.parent?.parent?.type === 'class_definition' || fn.parent?.parent?.parent?.type === 'class_definition';
  if (!isMethod) return position === 0;
  const name = fn.childForFieldName('name')?.text ?? '';
  return position === 1 && (VIEW_METHODS.has(name) || fn.parent?.type === 'decorated_definition');
}

/** A label for the web framework whose request object `node` is, or undefined. */
function requestObject(node: SyntaxNode, host: SourceHost): string | undefined {
  if (node.type === 'identifier') {
    const global = REQUEST_GLOBALS.get(host.qualifiedName(node) ?? '');
    if (global) return global;
    const bindings = host.bindingsOf(node);
    const isRequest = (b: Binding) => isRequestParameter(b) || isAiohttpHandlerRequest(b, host);
    return bindings.length > 0 && bindings.every(isRequest) ? frameworkOf(host) : undefined;
  }
  // `self.request` in a class-based view (Django, aiohttp's `web.View`).
  if (
    node.type === 'attribute' &&
    node.childForFieldName('attribute')?.text === 'request' &&
    node.childForFieldName('object')?.text === 'self'
  )
    return host.isModuleImported('aiohttp') ? 'aiohttp' : 'Django';
  const qualified = host.qualifiedName(node);
  return qualified ? REQUEST_GLOBALS.get(qualified) : undefined;
}

/** `request.args`, `request.GET`, `sys.argv`, `os.environ`, … */
export function attributeSource(node: SyntaxNode, host: SourceHost): SourceMatch | undefined {
  const qualified = host.qualifiedName(node);
  if (qualified === 'sys.argv') return { source: 'sys.argv', note: 'sys.argv read here', confidence: 'medium' };
  if (qualified === 'sys.stdin') return { source: 'sys.stdin', note: 'sys.stdin read here', confidence: 'medium' };
  if (qualified && ENVIRONMENT.has(qualified))
    return { source: 'os.environ', note: `${qualified} read here`, confidence: 'low' };
  const attribute = node.childForFieldName('attribute')?.text;
  const object = node.childForFieldName('object');
  if (!attribute || !object) return undefined;
  if (object.type === 'identifier' && object.text === 'self') {
    const handler = handlerAttributeSource(node, attribute, host);
    if (handler) return handler;
  }
  const isAiohttp = AIOHTTP_ATTRIBUTES.has(attribute) && host.isModuleImported('aiohttp');
  if (!REQUEST_ATTRIBUTES.has(attribute) && !isAiohttp) return undefined;
  const requestFramework = requestObject(object, host);
  if (!requestFramework) return undefined;
  const framework =
    requestFramework === 'web request' && DJANGO_ATTRIBUTES.has(attribute) ? 'Django' : requestFramework;
  const text = shorten(node.text);
  return {
    source: `${text} (${framework})`,
    note: `${text} read here`,
    confidence: 'high',
    remote: true,
    ...(OWN_URL.has(attribute) ? { harmlessFor: HARMLESS_FOR_REDIRECTS } : {}),
  };
}

/** `request.get_json()`, `input()`, `parser.parse_args()`, `os.getenv()`, `f.read()`, `sock.recv()` */
export function callSource(call: SyntaxNode, host: SourceHost): SourceMatch | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const qualified = host.qualifiedName(fn);
  if (qualified === 'input' || qualified === 'raw_input')
    return { source: 'input()', note: 'input() read here', confidence: 'medium' };
  if (qualified && ENVIRONMENT_CALLS.has(qualified))
    return { source: 'os.environ', note: `${qualified}() read here`, confidence: 'low' };
  if (fn.type !== 'attribute') return undefined;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  const receiver = fn.childForFieldName('object');
  if (!receiver) return undefined;
  if (REQUEST_METHODS.has(method) || (AIOHTTP_METHODS.has(method) && host.isModuleImported('aiohttp'))) {
    const framework = requestObject(receiver, host);
    if (framework) {
      const text = `${shorten(fn.text)}()`;
      return {
        source: `${text} (${framework})`,
        note: `${text} read here`,
        confidence: 'high',
        remote: true,
        ...(OWN_URL.has(method) ? { harmlessFor: HARMLESS_FOR_REDIRECTS } : {}),
      };
    }
  }
  if (
    (method === 'parse_args' || method === 'parse_known_args') &&
    (host.isModuleImported('argparse') || host.isModuleImported('optparse'))
  ) {
    return {
      source: 'command-line arguments (argparse)',
      note: `${shorten(fn.text)}() read here`,
      confidence: 'medium',
    };
  }
  if (SOCKET_READS.has(method))
    return { source: 'socket data', note: `${shorten(fn.text)}() read here`, confidence: 'low' };
  if (FILE_READS.has(method) && isOpenFile(receiver, host))
    return { source: 'file contents', note: `${shorten(fn.text)}() read here`, confidence: 'low' };
  return undefined;
}

/** `open(p)`, `f` bound by `with open(p) as f` or `f = open(p)`, `Path(p).open()`. */
function isOpenFile(node: SyntaxNode, host: SourceHost): boolean {
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    if (!fn) return false;
    if (FILE_OPENERS.has(host.qualifiedName(fn) ?? '')) return true;
    if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'open') return true;
    return fn.type === 'identifier' && /^(pathlib\.)?Path$/.test(host.qualifiedName(fn) ?? '');
  }
  if (node.type !== 'identifier') return false;
  const bindings = host.bindingsOf(node);
  return (
    bindings.length > 0 &&
    bindings.every((b) => b.value !== undefined && b.value.type === 'call' && isOpenFile(b.value, host))
  );
}

/**
 * A parameter that receives client data: any parameter of a route handler (`@app.route`,
 * `@router.get`, …) except the request object and injected dependencies; the URL captures of
 * a Django view; an AWS Lambda event; a queued job's payload.
 */
export function parameterSource(binding: Binding, host: SourceHost): SourceMatch | undefined {
  const fn = binding.statement;
  if (fn.type !== 'function_definition') return undefined;
  if (binding.name === 'self' || binding.name === 'cls' || isRequestParameter(binding)) return undefined;
  const parameters = parameterNames(fn.childForFieldName('parameters'));
  const position = parameters.findIndex((p) => p.node.id === binding.node.id);
  const parameter = parameters[position];
  if (!parameter) return undefined;
  return (
    routeParameter(binding, fn, host) ??
    viewCapture(fn, parameters, position, host) ??
    handlerParameterSource(fn, parameters, parameter, host)
  );
}

function routeParameter(binding: Binding, fn: SyntaxNode, host: SourceHost): SourceMatch | undefined {
  if (fn.parent?.type !== 'decorated_definition') return undefined;
  const isRoute = fn.parent.namedChildren.some((decorator) => {
    const expression = decorator.type === 'decorator' ? decorator.namedChildren[0] : undefined;
    const callee = expression?.type === 'call' ? expression.childForFieldName('function') : expression;
    return callee?.type === 'attribute' && ROUTE_DECORATORS.has(callee.childForFieldName('attribute')?.text ?? '');
  });
  if (!isRoute) return undefined;
  const declaration = parameterDeclaration(binding.node);
  const annotation = annotationName(declaration);
  if (annotation && FRAMEWORK_ANNOTATIONS.has(annotation)) return undefined;
  const defaultValue = declaration.childForFieldName('value');
  const injector = defaultValue?.type === 'call' ? defaultValue.childForFieldName('function') : null;
  if (injector && DEPENDENCY_DEFAULTS.has(host.qualifiedName(injector) ?? '')) return undefined;
  const framework = frameworkOf(host);
  return {
    source: `route parameter \`${binding.name}\` (${framework})`,
    note: `route parameter \`${binding.name}\``,
    confidence: 'high',
    remote: true,
  };
}

/**
 * The URL captures Django passes a view after the request (`path("<slug:slug>/", view)` calls
 * `view(request, slug=…)`). A function view is a module-level function whose first parameter
 * is the request, in a module that imports Django, that is decorated or lives in a views
 * module, and that the module does not call itself (a helper such as `render_page(request,
 * page)` is called by the views that loaded `page`); its required parameters are captures, while
 * those with defaults usually receive the extra options a URLconf passes. A method of a class-based view (`get(self, request, pk)`,
 * a DRF viewset's `retrieve(self, request, pk=None)`) receives captures after the request.
 * A function view's parameters may also be a URLconf's options or a helper's arguments, so
 * they are medium confidence; a class-based view's are high.
 */
function viewCapture(
  fn: SyntaxNode,
  parameters: readonly ParameterName[],
  position: number,
  host: SourceHost,
): SourceMatch | undefined {
  if (!host.isModuleImported('django') && !host.isModuleImported('rest_framework')) return undefined;
  const viewClass = classOfMethod(fn);
  const requestPosition = viewClass ? 1 : 0;
  const request = parameters[requestPosition];
  if (position <= requestPosition || request?.name !== 'request') return undefined;
  const parameter = parameters[position];
  if (viewClass) {
    const name = fn.childForFieldName('name')?.text ?? '';
    if (!VIEW_METHODS.has(name) && fn.parent?.type !== 'decorated_definition') return undefined;
    if (!isViewClass(viewClass)) return undefined;
  } else {
    if (fn.parent?.type !== 'decorated_definition' && !isViewsModule(host.path)) return undefined;
    if (fn.parent?.type === 'decorated_definition' ? fn.parent.parent?.type !== 'module' : fn.parent?.type !== 'module')
      return undefined;
    if (isCalledInModule(fn)) return undefined;
    const declaration = parameterDeclaration(parameter.node);
    if (declaration.childForFieldName('value') || parameter.collects === 'positional') return undefined;
  }
  return {
    source: `URL capture \`${parameter.name}\` (Django)`,
    note: `URL capture \`${parameter.name}\``,
    confidence: viewClass ? 'high' : 'medium',
    remote: true,
  };
}
