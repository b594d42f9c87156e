/**
 * A small GraphQL parser and executor: enough of the language for what apps send GitHub
 * (operations, variables, aliases, arguments, inline fragments, named fragments), strict
 * about the schema it is given, so a query GitHub would reject fails here too.
 */

export type GraphQLValue =
  string | number | boolean | null | GraphQLValue[] | { [key: string]: GraphQLValue } | { variable: string };

interface Field {
  kind: 'field';
  alias?: string;
  name: string;
  args: Record<string, GraphQLValue>;
  selections?: Selection[];
}

interface InlineFragment {
  kind: 'inline';
  typeCondition?: string;
  selections: Selection[];
}

interface FragmentSpread {
  kind: 'spread';
  name: string;
}

type Selection = Field | InlineFragment | FragmentSpread;

interface Operation {
  type: 'query' | 'mutation';
  name?: string;
  variables: Record<string, { type: string; defaultValue?: GraphQLValue }>;
  selections: Selection[];
}

export interface ParsedDocument {
  operations: Operation[];
  fragments: Map<string, { typeCondition: string; selections: Selection[] }>;
}

export class GraphQLSyntaxError extends Error {}

const TOKEN =
  /\s+|,|#[^\n]*|(\.\.\.|[{}()[\]:=!$@|&])|("""[\s\S]*?"""|"(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([_A-Za-z][_0-9A-Za-z]*)/y;

type Token = { kind: 'punct' | 'string' | 'number' | 'name'; value: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match)
      throw new GraphQLSyntaxError(`Syntax Error: Unexpected character "${source[start]}" at offset ${start}`);
    if (match[1]) tokens.push({ kind: 'punct', value: match[1] });
    else if (match[2])
      tokens.push({
        kind: 'string',
        value: match[2].startsWith('"""') ? match[2].slice(3, -3) : (JSON.parse(match[2]) as string),
      });
    else if (match[3]) tokens.push({ kind: 'number', value: match[3] });
    else if (match[4]) tokens.push({ kind: 'name', value: match[4] });
  }
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position++];
    if (!token) throw new GraphQLSyntaxError('Syntax Error: Unexpected end of document');
    return token;
  }

  private expect(value: string): void {
    const token = this.next();
    if (token.value !== value || (token.kind !== 'punct' && token.kind !== 'name')) {
      throw new GraphQLSyntaxError(`Syntax Error: Expected "${value}", found "${token.value}"`);
    }
  }

  private skip(value: string): boolean {
    const token = this.peek();
    if (token && token.kind === 'punct' && token.value === value) {
      this.position += 1;
      return true;
    }
    return false;
  }

  private name(): string {
    const token = this.next();
    if (token.kind !== 'name') throw new GraphQLSyntaxError(`Syntax Error: Expected Name, found "${token.value}"`);
    return token.value;
  }

  document(): ParsedDocument {
    const operations: Operation[] = [];
    const fragments: ParsedDocument['fragments'] = new Map();
    while (this.peek()) {
      const token = this.peek()!;
      if (token.kind === 'punct' && token.value === '{') {
        operations.push({ type: 'query', variables: {}, selections: this.selectionSet() });
      } else if (token.value === 'fragment') {
        this.next();
        const name = this.name();
        this.expect('on');
        const typeCondition = this.name();
        fragments.set(name, { typeCondition, selections: this.selectionSet() });
      } else if (token.value === 'query' || token.value === 'mutation') {
        this.next();
        const operation: Operation = { type: token.value, variables: {}, selections: [] };
        if (this.peek()?.kind === 'name') operation.name = this.name();
        if (this.skip('(')) {
          while (!this.skip(')')) {
            this.expect('$');
            const variable = this.name();
            this.expect(':');
            const type = this.typeReference();
            const definition: { type: string; defaultValue?: GraphQLValue } = { type };
            if (this.skip('=')) definition.defaultValue = this.value();
            operation.variables[variable] = definition;
          }
        }
        this.directives();
        operation.selections = this.selectionSet();
        operations.push(operation);
      } else {
        throw new GraphQLSyntaxError(`Syntax Error: Unexpected "${token.value}"`);
      }
    }
    if (operations.length === 0) throw new GraphQLSyntaxError('Syntax Error: the document has no operation');
    return { operations, fragments };
  }

  private typeReference(): string {
    let type: string;
    if (this.skip('[')) {
      type = `[${this.typeReference()}]`;
      this.expect(']');
    } else {
      type = this.name();
    }
    return this.skip('!') ? `${type}!` : type;
  }

  private directives(): void {
    while (this.skip('@')) {
      this.name();
      if (this.peek()?.value === '(') this.arguments();
    }
  }

  private selectionSet(): Selection[] {
    this.expect('{');
    const selections: Selection[] = [];
    while (!this.skip('}')) {
      if (this.skip('...')) {
        if (this.peek()?.value === 'on') {
          this.next();
          const typeCondition = this.name();
          this.directives();
          selections.push({ kind: 'inline', typeCondition, selections: this.selectionSet() });
        } else if (this.peek()?.value === '{' || this.peek()?.value === '@') {
          this.directives();
          selections.push({ kind: 'inline', selections: this.selectionSet() });
        } else {
          selections.push({ kind: 'spread', name: this.name() });
          this.directives();
        }
        continue;
      }
      let name = this.name();
      let alias: string | undefined;
      if (this.skip(':')) {
        alias = name;
        name = this.name();
      }
      const field: Field = { kind: 'field', name, args: this.peek()?.value === '(' ? this.arguments() : {} };
      if (alias) field.alias = alias;
      this.directives();
      if (this.peek()?.value === '{') field.selections = this.selectionSet();
      selections.push(field);
    }
    if (selections.length === 0) throw new GraphQLSyntaxError('Syntax Error: Expected Name, found "}"');
    return selections;
  }

  private arguments(): Record<string, GraphQLValue> {
    this.expect('(');
    const args: Record<string, GraphQLValue> = {};
    while (!this.skip(')')) {
      const name = this.name();
      this.expect(':');
      args[name] = this.value();
    }
    return args;
  }

  private value(): GraphQLValue {
    const token = this.next();
    if (token.kind === 'punct' && token.value === '$') return { variable: this.name() };
    if (token.kind === 'string') return token.value;
    if (token.kind === 'number') return Number(token.value);
    if (token.kind === 'name') {
      if (token.value === 'true') return true;
      if (token.value === 'false') return false;
      if (token.value === 'null') return null;
      return token.value; // enum value
    }
    if (token.value === '[') {
      const list: GraphQLValue[] = [];
      while (!this.skip(']')) list.push(this.value());
      return list;
    }
    if (token.value === '{') {
      const object: Record<string, GraphQLValue> = {};
      while (!this.skip('}')) {
        const key = this.name();
        this.expect(':');
        object[key] = this.value();
      }
      return object;
    }
    throw new GraphQLSyntaxError(`Syntax Error: Unexpected "${token.value}"`);
  }
}

export function parseGraphQL(source: string): ParsedDocument {
  return new Parser(tokenize(source)).document();
}

/**
 * A schema object: `__typename` plus its fields. A field is a value or a function of its
 * arguments; `__implements` lists the interfaces an inline fragment may name.
 */
export interface GraphQLObject {
  __typename: string;
  __implements?: string[];
  [field: string]: unknown;
}

export class GraphQLFieldError extends Error {
  constructor(
    message: string,
    readonly type: string = 'INVALID',
  ) {
    super(message);
  }
}

export interface GraphQLError {
  message: string;
  type?: string;
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
}

function resolveValue(value: GraphQLValue, variables: Record<string, unknown>): unknown {
  if (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    'variable' in value &&
    Object.keys(value).length === 1
  ) {
    const name = value.variable as string;
    if (!(name in variables)) throw new GraphQLFieldError(`Variable $${name} is not defined or has no value`);
    return variables[name];
  }
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, variables));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveValue(item, variables)]));
  }
  return value;
}

function typeMatches(object: GraphQLObject, condition: string | undefined): boolean {
  return !condition || object.__typename === condition || (object.__implements ?? []).includes(condition);
}

/** Runs one operation of a parsed document against a root object. */
export async function executeGraphQL(
  document: ParsedDocument,
  roots: { query: GraphQLObject; mutation: GraphQLObject },
  variables: Record<string, unknown>,
  operationName?: string,
): Promise<{ data: Record<string, unknown> | null; errors?: GraphQLError[] }> {
  const operation = operationName
    ? document.operations.find((op) => op.name === operationName)
    : document.operations[0];
  if (!operation) return { data: null, errors: [{ message: `Unknown operation named "${operationName}".` }] };
  const values: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(operation.variables)) {
    const value =
      variables[name] ??
      (definition.defaultValue !== undefined ? resolveValue(definition.defaultValue, {}) : undefined);
    if (value === undefined && definition.type.endsWith('!')) {
      return {
        data: null,
        errors: [{ message: `Variable $${name} of type ${definition.type} was provided invalid value` }],
      };
    }
    values[name] = value ?? null;
  }
  const errors: GraphQLError[] = [];

  async function select(
    object: GraphQLObject,
    selections: Selection[],
    path: (string | number)[],
  ): Promise<Record<string, unknown>> {
    const result: Record<string, unknown> = {};
    for (const selection of selections) {
      if (selection.kind === 'inline') {
        if (typeMatches(object, selection.typeCondition))
          Object.assign(result, await select(object, selection.selections, path));
        continue;
      }
      if (selection.kind === 'spread') {
        const fragment = document.fragments.get(selection.name);
        if (!fragment) throw new GraphQLFieldError(`Fragment ${selection.name} was used, but not defined`);
        if (typeMatches(object, fragment.typeCondition))
          Object.assign(result, await select(object, fragment.selections, path));
        continue;
      }
      const key = selection.alias ?? selection.name;
      if (selection.name === '__typename') {
        result[key] = object.__typename;
        continue;
      }
      if (!(selection.name in object) || selection.name.startsWith('__')) {
        throw new GraphQLFieldError(
          `Field '${selection.name}' doesn't exist on type '${object.__typename}'`,
          'undefinedField',
        );
      }
      try {
        const member = object[selection.name];
        const args = Object.fromEntries(
          Object.entries(selection.args).map(([name, value]) => [name, resolveValue(value, values)]),
        );
        const raw =
          typeof member === 'function'
            ? await (member as (args: Record<string, unknown>) => unknown).call(object, args)
            : member;
        result[key] = await complete(raw, selection, [...path, key]);
      } catch (error) {
        if (!(error instanceof GraphQLFieldError) || error.type === 'undefinedField') throw error;
        errors.push({ message: error.message, type: error.type, path: [...path, key] });
        result[key] = null;
      }
    }
    return result;
  }

  async function complete(raw: unknown, field: Field, path: (string | number)[]): Promise<unknown> {
    if (raw === null || raw === undefined) return null;
    if (Array.isArray(raw)) return Promise.all(raw.map((item, index) => complete(item, field, [...path, index])));
    if (typeof raw === 'object' && '__typename' in raw) {
      if (!field.selections)
        throw new GraphQLFieldError(
          `Field must have selections (field '${field.name}' returns ${(raw as GraphQLObject).__typename} but has no selections.)`,
          'undefinedField',
        );
      return select(raw as GraphQLObject, field.selections, path);
    }
    if (field.selections)
      throw new GraphQLFieldError(`Selections can't be made on scalars (field '${field.name}')`, 'undefinedField');
    return raw;
  }

  try {
    const data = await select(operation.type === 'mutation' ? roots.mutation : roots.query, operation.selections, []);
    return errors.length > 0 ? { data, errors } : { data };
  } catch (error) {
    return { data: null, errors: [{ message: (error as Error).message }] };
  }
}
