import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** The parts of GitHub's OpenAPI description the simulator checks requests against. */
interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Record<string, unknown>;
  'x-multi-segment'?: boolean;
  $ref?: string;
}

interface OpenApiOperation {
  operationId: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Record<string, unknown> }> };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, unknown>; parameters: Record<string, OpenApiParameter> };
}

/** One documented route, with a matcher for concrete paths. */
export interface RouteMatch {
  /** The documented template, e.g. `/repos/{owner}/{repo}/pulls/{pull_number}`. */
  template: string;
  operationId: string;
  params: Record<string, string>;
}

interface CompiledRoute {
  template: string;
  method: string;
  operation: OpenApiOperation;
  pattern: RegExp;
  paramNames: string[];
  /** Literal segments count: when several templates match, the most literal one is GitHub's route. */
  literalSegments: number;
}

export interface RequestViolation {
  message: string;
  errors: { resource?: string; field?: string; code: string; message?: string }[];
}

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head'];

function loadDocument(): OpenApiDocument {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('@octokit/openapi/package.json'));
  return JSON.parse(readFileSync(join(packageDir, 'generated', 'api.github.com.json'), 'utf8')) as OpenApiDocument;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every `#/components/schemas/…` name reachable from a schema, so each body schema compiles on its own. */
function collectSchemaRefs(node: unknown, schemas: Record<string, unknown>, found: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectSchemaRefs(item, schemas, found);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
      const name = value.slice('#/components/schemas/'.length);
      if (!found.has(name)) {
        found.add(name);
        collectSchemaRefs(schemas[name], schemas, found);
      }
    } else {
      collectSchemaRefs(value, schemas, found);
    }
  }
}

function describeAjvError(error: ErrorObject): RequestViolation['errors'][number] {
  const field = error.instancePath.replace(/^\//, '').replace(/\//g, '.') || undefined;
  if (error.keyword === 'required') {
    return {
      field: String(error.params.missingProperty),
      code: 'missing_field',
      message: `${error.params.missingProperty} is missing`,
    };
  }
  if (error.keyword === 'enum') {
    return { field, code: 'invalid', message: `${field} is not one of ${JSON.stringify(error.params.allowedValues)}` };
  }
  return { field, code: 'invalid', message: `${field ?? 'body'} ${error.message ?? 'is invalid'}` };
}

/**
 * GitHub's published REST description, used the way GitHub's router and request
 * validation would: unknown routes are 404, malformed bodies are 422.
 */
export class OpenApiValidator {
  private readonly routes: CompiledRoute[] = [];
  private readonly components: OpenApiDocument['components'];
  private readonly ajv: Ajv;
  private readonly bodyValidators = new Map<string, ValidateFunction | null>();

  constructor(document: OpenApiDocument = loadDocument()) {
    this.components = document.components;
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
    addFormats(this.ajv);
    for (const [template, item] of Object.entries(document.paths)) {
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (operation) this.routes.push(this.compile(template, method.toUpperCase(), operation));
      }
    }
  }

  private resolveParameter(parameter: OpenApiParameter): OpenApiParameter {
    if (!parameter.$ref) return parameter;
    const name = parameter.$ref.slice('#/components/parameters/'.length);
    return this.components.parameters[name] ?? parameter;
  }

  private compile(template: string, method: string, operation: OpenApiOperation): CompiledRoute {
    const multiSegment = new Set(
      (operation.parameters ?? [])
        .map((p) => this.resolveParameter(p))
        .filter((p) => p['x-multi-segment'])
        .map((p) => p.name),
    );
    const paramNames: string[] = [];
    let literalSegments = 0;
    const source = template
      .split('/')
      .map((segment) =>
        segment.replace(/\{(\w+)\}|([^{}]+)/g, (_whole, name: string | undefined, literal: string | undefined) => {
          if (literal !== undefined) {
            literalSegments += 1;
            return escapeRegExp(literal);
          }
          paramNames.push(name!);
          return multiSegment.has(name!) ? '(.+)' : '([^/]+)';
        }),
      )
      .join('/');
    return { template, method, operation, pattern: new RegExp(`^${source}$`), paramNames, literalSegments };
  }

  /** The documented route for a method and path (the most literal template wins), or undefined: GitHub answers 404. */
  match(method: string, path: string): RouteMatch | undefined {
    let best: { route: CompiledRoute; values: string[] } | undefined;
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(path);
      if (!found) continue;
      if (!best || route.literalSegments > best.route.literalSegments) best = { route, values: found.slice(1) };
    }
    if (!best) return undefined;
    const params: Record<string, string> = {};
    best.route.paramNames.forEach((name, index) => {
      params[name] = decodeURIComponent(best.values[index]);
    });
    return { template: best.route.template, operationId: best.route.operation.operationId, params };
  }

  private operation(method: string, template: string): OpenApiOperation | undefined {
    return this.routes.find((route) => route.method === method && route.template === template)?.operation;
  }

  /** Checks required query parameters and the JSON body against the operation's schema. */
  validate(method: string, template: string, query: URLSearchParams, body: unknown): RequestViolation | undefined {
    const operation = this.operation(method, template);
    if (!operation) throw new Error(`${method} ${template} is not in the OpenAPI description; match() the path first`);
    const errors: RequestViolation['errors'] = [];
    for (const raw of operation.parameters ?? []) {
      const parameter = this.resolveParameter(raw);
      if (parameter.in !== 'query') continue;
      const value = query.get(parameter.name);
      if (value === null) {
        if (parameter.required) errors.push({ field: parameter.name, code: 'missing_field' });
        continue;
      }
      const type = parameter.schema?.type;
      if (type === 'integer' && !/^-?\d+$/.test(value))
        errors.push({ field: parameter.name, code: 'invalid', message: `${parameter.name} must be an integer` });
      const allowed = parameter.schema?.enum as unknown[] | undefined;
      if (allowed && !allowed.includes(value))
        errors.push({
          field: parameter.name,
          code: 'invalid',
          message: `${parameter.name} is not one of ${JSON.stringify(allowed)}`,
        });
    }
    const validateBody = this.bodyValidator(method, template, operation);
    if (validateBody) {
      if (body === undefined && operation.requestBody?.required) {
        errors.push({ code: 'missing', message: 'a request body is required' });
      } else if (body !== undefined && !validateBody(body)) {
        errors.push(...(validateBody.errors ?? []).map(describeAjvError));
      }
    }
    return errors.length > 0 ? { message: 'Invalid request.', errors } : undefined;
  }

  private bodyValidator(method: string, template: string, operation: OpenApiOperation): ValidateFunction | null {
    const key = `${method} ${template}`;
    if (!this.bodyValidators.has(key)) {
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      let validator: ValidateFunction | null = null;
      if (schema) {
        const names = new Set<string>();
        collectSchemaRefs(schema, this.components.schemas, names);
        const referenced = Object.fromEntries([...names].map((name) => [name, this.components.schemas[name]]));
        validator = this.ajv.compile({ ...schema, components: { schemas: referenced } });
      }
      this.bodyValidators.set(key, validator);
    }
    return this.bodyValidators.get(key)!;
  }
}
