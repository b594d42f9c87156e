import type { SyntaxNode } from '../types.js';
import type { SinkFamily } from './origin.js';
import type { Binding } from '../scopes.js';
import { parameterDeclaration, type ParameterName, type SourceHost, type SourceMatch } from './source-match.js';

/** The class a def is a method of, or undefined for a function outside a class body. */
export function classOfMethod(fn: SyntaxNode): SyntaxNode | undefined {
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  const owner = holder.parent?.parent;
  return holder.parent?.type === 'block' && owner?.type === 'class_definition' ? owner : undefined;
}

/** The class whose method (or a function nested in one) contains `node`. */
export function enclosingClass(node: SyntaxNode): SyntaxNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'class_definition') return undefined;
    if (current.type === 'function_definition') {
      const owner = classOfMethod(current);
      if (owner) return owner;
    }
  }
  return undefined;
}

function baseClasses(cls: SyntaxNode): SyntaxNode[] {
  return (cls.childForFieldName('superclasses')?.namedChildren ?? []).filter(
    (base) => base.type === 'identifier' || base.type === 'attribute',
  );
}

/** `View`, `generic.DetailView`, `viewsets.ModelViewSet`, `APIView`, `LoginRequiredMixin`. */
const VIEW_BASE = /(?:View|ViewSet|Mixin)$/;

/** A class-based view: one of its bases is named like a view or a view mixin. */
export function isViewClass(cls: SyntaxNode): boolean {
  return baseClasses(cls).some((base) => VIEW_BASE.test(base.text.split('.').at(-1) ?? ''));
}

/** `views.py`, `api_views.py`, `views/orders.py`: where Django projects keep their views. */
export function isViewsModule(path: string): boolean {
  return /(?:^|[/\\])(?:\w*views\.py|views[/\\][^/\\]+\.py)$/.test(path);
}

function moduleOf(node: SyntaxNode): SyntaxNode {
  let root = node;
  while (root.parent) root = root.parent;
  return root;
}

/** The names of functions each module calls by plain name, gathered once per module. */
const calledNames = new WeakMap<SyntaxNode, Set<string>>();

/** True when the module that defines `fn` calls it by name somewhere. */
export function isCalledInModule(fn: SyntaxNode): boolean {
  const root = moduleOf(fn);
  let names = calledNames.get(root);
  if (!names) {
    names = new Set();
    for (const call of root.descendantsOfType('call')) {
      const callee = call.childForFieldName('function');
      if (callee?.type === 'identifier') names.add(callee.text);
    }
    calledNames.set(root, names);
  }
  return names.has(fn.childForFieldName('name')?.text ?? '');
}

/** `web.get(path, handler)`, `app.router.add_get(path, handler)`, `router.add_route(method, path, handler)`. */
const AIOHTTP_ROUTE_FUNCTIONS = new Map([
  ...['get', 'post', 'put', 'patch', 'delete', 'head', 'view'].map((m) => [m, 1] as const),
  ...['add_get', 'add_post', 'add_put', 'add_patch', 'add_delete', 'add_head', 'add_view'].map((m) => [m, 1] as const),
  ['add_route', 2],
  ['route', 2],
]);
const aiohttpHandlers = new WeakMap<SyntaxNode, Set<string>>();

/** Names of the functions a module registers as aiohttp route handlers. */
function registeredAiohttpHandlers(root: SyntaxNode): Set<string> {
  let names = aiohttpHandlers.get(root);
  if (names) return names;
  names = new Set();
  for (const call of root.descendantsOfType('call')) {
    const fn = call.childForFieldName('function');
    const position =
      fn?.type === 'attribute' ? AIOHTTP_ROUTE_FUNCTIONS.get(fn.childForFieldName('attribute')?.text ?? '') : undefined;
    if (position === undefined) continue;
    const handler = call.childForFieldName('arguments')?.namedChildren.filter((a) => a.type !== 'comment')[position];
    if (handler?.type === 'identifier') names.add(handler.text);
  }
  aiohttpHandlers.set(root, names);
  return names;
}

/**
 * The first parameter of a function that an aiohttp module registers as a route handler,
 * whatever it is called (`async def hello(req)` registered by `web.get("/", hello)`).
 */
export function isAiohttpHandlerRequest(binding: Binding, host: SourceHost): boolean {
  const fn = binding.statement;
  if (binding.kind !== 'parameter' || fn.type !== 'function_definition' || !host.isModuleImported('aiohttp'))
    return false;
  if (fn.childForFieldName('parameters')?.namedChildren[0]?.id !== parameterDeclaration(binding.node).id) return false;
  return registeredAiohttpHandlers(moduleOf(fn)).has(fn.childForFieldName('name')?.text ?? '');
}

const HTTP_SERVER_MODULES = ['http.server', 'BaseHTTPServer', 'SimpleHTTPServer', 'CGIHTTPServer'];
const HTTP_HANDLER_BASES = new Set(
  HTTP_SERVER_MODULES.flatMap((module) =>
    ['BaseHTTPRequestHandler', 'SimpleHTTPRequestHandler', 'CGIHTTPRequestHandler'].map((cls) => `${module}.${cls}`),
  ),
);
/** How many local subclasses deep a handler's ancestry is followed. */
const MAX_LOCAL_ANCESTRY = 4;

/**
 * A subclass of `http.server.BaseHTTPRequestHandler` (or its subclasses), directly or through
 * classes of the same module. The handler classes defined by `http.server` itself are not
 * imported there, so the module that implements the protocol is not its own source.
 */
function isHttpHandlerClass(cls: SyntaxNode, host: SourceHost, depth = 0): boolean {
  if (depth > MAX_LOCAL_ANCESTRY) return false;
  return baseClasses(cls).some((base) => {
    if (HTTP_HANDLER_BASES.has(host.qualifiedName(base) ?? '')) return true;
    if (base.type !== 'identifier') return false;
    const bindings = host.bindingsOf(base);
    return (
      bindings.length === 1 &&
      bindings[0].statement.type === 'class_definition' &&
      isHttpHandlerClass(bindings[0].statement, host, depth + 1)
    );
  });
}

/** What a `BaseHTTPRequestHandler` parses out of the request before it calls `do_GET`. */
const HTTP_HANDLER_ATTRIBUTES = new Set(['path', 'headers', 'rfile', 'requestline', 'raw_requestline']);
const HARMLESS_FOR_REDIRECTS: ReadonlySet<SinkFamily> = new Set<SinkFamily>(['redirect']);

/**
 * `self.path`, `self.headers` and `self.rfile` in an `http.server` request handler;
 * `self.kwargs` and `self.args` (the URL captures) in a Django class-based view.
 */
export function handlerAttributeSource(node: SyntaxNode, attribute: string, host: SourceHost): SourceMatch | undefined {
  if (HTTP_HANDLER_ATTRIBUTES.has(attribute) && HTTP_SERVER_MODULES.some((m) => host.isModuleImported(m))) {
    const cls = enclosingClass(node);
    if (!cls || !isHttpHandlerClass(cls, host)) return undefined;
    return {
      source: `self.${attribute} (http.server)`,
      note: `self.${attribute} read here`,
      confidence: 'high',
      remote: true,
      // Redirecting to the requested path plus a slash is what directory listings do.
      ...(attribute === 'path' ? { harmlessFor: HARMLESS_FOR_REDIRECTS } : {}),
    };
  }
  if (
    (attribute === 'kwargs' || attribute === 'args') &&
    (host.isModuleImported('django') || host.isModuleImported('rest_framework'))
  ) {
    const cls = enclosingClass(node);
    if (!cls || !isViewClass(cls)) return undefined;
    return {
      source: `self.${attribute} (Django URL captures)`,
      note: `self.${attribute} read here`,
      confidence: 'high',
      remote: true,
    };
  }
  return undefined;
}

/** Parameter names that hold a queued job's or a pipeline step's description. */
const JOB_PARAMETERS = new Set(['job', 'step', 'payload']);
/** Libraries whose consumers receive a `message` (SQS, Kafka, RabbitMQ, Pub/Sub, MQTT, …). */
const MESSAGE_LIBRARIES = [
  'boto3',
  'kafka',
  'aiokafka',
  'confluent_kafka',
  'pika',
  'aio_pika',
  'kombu',
  'celery',
  'dramatiq',
  'nats',
  'google.cloud.pubsub_v1',
  'azure.servicebus',
  'paho.mqtt',
];
const MESSAGE_PARAMETERS = new Set(['message', 'msg']);
/** `def on_message(channel, method, properties, body)`: pika's consumer callback. */
const PIKA_CALLBACK = /^(?:ch|chan|channel),(?:method|method_frame|frame),(?:properties|props|header_frame),body$/;

/**
 * An AWS Lambda handler's `event`, and the payload of a queued job or message. A Lambda event
 * behind API Gateway or a function URL is the HTTP request itself. A job payload was written
 * by some other part of the system, which may or may not have checked it: low confidence.
 */
export function handlerParameterSource(
  fn: SyntaxNode,
  parameters: readonly ParameterName[],
  parameter: ParameterName,
  host: SourceHost,
): SourceMatch | undefined {
  if (parameter.collects) return undefined;
  const receiver = classOfMethod(fn) ? 1 : 0;
  const names = parameters
    .slice(receiver)
    .map((p) => p.name)
    .join(',');
  if (names === 'event,context' && parameter.name === 'event')
    return { source: 'AWS Lambda event', note: 'Lambda event', confidence: 'high', remote: true };
  const isPayload =
    JOB_PARAMETERS.has(parameter.name) ||
    (MESSAGE_PARAMETERS.has(parameter.name) && MESSAGE_LIBRARIES.some((m) => host.isModuleImported(m))) ||
    (parameter.name === 'body' && PIKA_CALLBACK.test(names));
  if (!isPayload) return undefined;
  return {
    source: `job payload \`${parameter.name}\``,
    note: `job payload \`${parameter.name}\``,
    confidence: 'low',
    remote: true,
  };
}
