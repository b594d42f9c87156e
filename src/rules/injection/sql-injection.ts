import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { originEvidence } from '../support/command-origin.js';
import { parameterizeQueryFix } from '../support/sql-parameterize.js';
import { isInertSqlValue, looksLikeSql } from '../support/sql-queries.js';
import { builtString } from '../support/template-strings.js';
import { methodName } from '../../engine/calls.js';

/** DB-API and SQLAlchemy methods that run their first argument as SQL, whatever the receiver. */
const QUERY_METHODS = new Set(['execute', 'executemany', 'executescript', 'exec_driver_sql', 'execute_sql']);

/**
 * Query methods of the async drivers (asyncpg, `databases`) that read rows. Their names are
 * common elsewhere (`git.fetch`, `queue.fetch`), so the query must look like SQL, or the file
 * must import one of `ASYNC_DRIVERS` for a query that is passed whole.
 */
const ASYNC_QUERY_METHODS = new Set(['fetch', 'fetchrow', 'fetchval', 'fetch_all', 'fetch_one', 'fetch_val']);
const ASYNC_DRIVERS = ['asyncpg', 'databases', 'aiopg', 'aiomysql', 'aiosqlite', 'psycopg'];

/** Functions whose argument is SQL by definition, with where the SQL goes. */
const SQL_FUNCTIONS = new Map<string, { position: number; keyword: string }>([
  ['django.db.models.RawSQL', { position: 0, keyword: 'sql' }],
  ['django.db.models.expressions.RawSQL', { position: 0, keyword: 'sql' }],
  ['pandas.read_sql', { position: 0, keyword: 'sql' }],
  ['pandas.read_sql_query', { position: 0, keyword: 'sql' }],
  ['sqlalchemy.sql.expression.text', { position: 0, keyword: 'text' }],
  ['sqlalchemy.sql.text', { position: 0, keyword: 'text' }],
  ['sqlalchemy.text', { position: 0, keyword: 'text' }],
  ['sqlmodel.text', { position: 0, keyword: 'text' }],
]);

/** The `QuerySet.extra()` arguments that hold SQL fragments (`params` holds values). */
const EXTRA_SQL_ARGUMENTS = ['select', 'where', 'tables', 'order_by'];

type MessageId = 'built' | 'dynamic' | 'extra';

interface QuerySink {
  /** How the sink is shown in messages. */
  name: string;
  query: SyntaxNode;
  /** A method found by name only: the query must look like SQL before it is reported. */
  generic: boolean;
  /** A method whose name is common outside databases: even a traced source needs SQL-looking text or a driver import. */
  ambiguous?: boolean;
}

/**
 * How a `.raw(…)` call that runs SQL is named: `Model.objects.raw(…)` and
 * `Model._default_manager.raw(…)` spell out a Django manager, and in a file that imports Django
 * so does any `Model.manager.raw(…)`; in one that imports peewee, `Model.raw(…)` is peewee's.
 */
function rawQueryName(call: SyntaxNode, context: RuleContext<MessageId>): string | undefined {
  const receiver = call.childForFieldName('function')?.childForFieldName('object');
  if (!receiver) return undefined;
  if (/\b(?:objects|_default_manager|_base_manager)\b/.test(receiver.text)) return 'Manager.raw';
  if (/^[A-Z]\w*\.\w+$/.test(receiver.text) && context.isModuleImported('django')) return 'Manager.raw';
  return /^[A-Z]\w*$/.test(receiver.text) && context.isModuleImported('peewee') ? 'Model.raw' : undefined;
}

function querySink(call: SyntaxNode, context: RuleContext<MessageId>): QuerySink | undefined {
  const callee = context.calleeName(call);
  const known = callee ? SQL_FUNCTIONS.get(callee) : undefined;
  if (known) {
    const query = context.argument(call, known.position, known.keyword);
    return query && { name: callee!, query, generic: false };
  }
  const method = methodName(call);
  const rawName = method === 'raw' ? rawQueryName(call, context) : undefined;
  if (rawName) {
    const query = context.argument(call, 0, 'raw_query') ?? context.keywordArgument(call, 'sql');
    return query && { name: rawName, query, generic: false };
  }
  if (method && ASYNC_QUERY_METHODS.has(method)) {
    const query = context.argument(call, 0, 'query');
    return query && { name: `.${method}()`, query, generic: true, ambiguous: true };
  }
  if (method && QUERY_METHODS.has(method)) {
    // PEP 249 names it `operation`, sqlite3 `sql`, SQLAlchemy `statement`.
    const query =
      context.argument(call, 0, 'operation') ??
      context.keywordArgument(call, 'sql') ??
      context.keywordArgument(call, 'statement');
    return query && { name: `.${method}()`, query, generic: true };
  }
  return undefined;
}

function checkQuery(call: SyntaxNode, sink: QuerySink, context: RuleContext<MessageId>): void {
  const evidence = originEvidence(context, sink.query, 'sql');
  if (!evidence) return;
  const built = builtString(context, sink.query);
  if (built) {
    if (built.values.every((value) => isInertSqlValue(context, value))) return;
    if (sink.generic && (evidence.kind !== 'source' || sink.ambiguous) && !looksLikeSql(built.literalText)) return;
    const fix = parameterizeQueryFix(context, call, sink.query);
    context.report({
      node: call,
      messageId: 'built',
      data: { sink: sink.name, how: built.how },
      ...evidence,
      ...(fix ? { fix } : {}),
    });
    return;
  }
  // An opaque value: a query the caller passed in, a call result. At a generic `execute` that
  // is how every data-access layer looks, so only untrusted data is worth a finding there.
  if (sink.generic && evidence.kind !== 'source') return;
  if (sink.ambiguous && !ASYNC_DRIVERS.some((driver) => context.isModuleImported(driver))) return;
  context.report({
    node: call,
    messageId: 'dynamic',
    data: { sink: sink.name },
    ...evidence,
    ...(evidence.kind === 'source' ? {} : { confidence: 'low' }),
  });
}

function isDjangoExtra(call: SyntaxNode, context: RuleContext<MessageId>): boolean {
  if (methodName(call) !== 'extra') return false;
  const receiver = call.childForFieldName('function')?.childForFieldName('object');
  return context.isModuleImported('django') || (!!receiver && /\bobjects\b/.test(receiver.text));
}

/** The SQL fragments of one `extra()` argument: dictionary values, list items, or the value itself. */
function sqlFragments(value: SyntaxNode): SyntaxNode[] {
  if (value.type === 'dictionary')
    return value.namedChildren.flatMap((pair) => (pair.type === 'pair' ? [pair.childForFieldName('value')!] : [pair]));
  if (value.type === 'list' || value.type === 'tuple')
    return value.namedChildren.filter((item) => item.type !== 'comment');
  return [value];
}

function checkExtra(call: SyntaxNode, context: RuleContext<MessageId>): void {
  for (const argument of EXTRA_SQL_ARGUMENTS) {
    const value = context.keywordArgument(call, argument);
    for (const fragment of value ? sqlFragments(value) : []) {
      const evidence = originEvidence(context, fragment, 'sql');
      if (!evidence) continue;
      const built = builtString(context, fragment);
      if (built && built.values.every((v) => isInertSqlValue(context, v))) continue;
      context.report({ node: call, messageId: 'extra', data: { argument }, ...evidence });
      return;
    }
  }
}

export default createRule({
  id: 'sql-injection',
  meta: {
    title: 'SQL built from data',
    category: 'injection',
    cwe: [89],
    severity: 'high',
    confidence: 'medium',
    equivalents: { bandit: ['B608', 'B610', 'B611'], ruff: ['S608', 'S610', 'S611'] },
    messages: {
      built: '`{{sink}}` runs SQL built with {{how}}; values spliced into SQL can rewrite the query',
      dynamic: '`{{sink}}` runs SQL that is not a literal; make sure no data reaches it unescaped',
      extra: '`QuerySet.extra({{argument}}=…)` receives an SQL fragment built at runtime',
    },
    docs: {
      why: 'A value spliced into the text of an SQL statement is parsed as SQL. A quote in it ends the string literal and whatever follows runs as part of the query: `1 OR 1=1` widens a `WHERE`, `; DROP TABLE users` adds a statement, a `UNION SELECT` reads other tables. Query parameters travel separately from the statement and are never parsed as SQL.',
      example:
        'import sqlite3\n\ndef find_user(conn, name):\n    cursor = conn.cursor()\n    cursor.execute(f"SELECT * FROM users WHERE name = \'{name}\'")\n    return cursor.fetchone()',
      fix: 'Write placeholders in the statement and pass the values as the second argument of `execute`, in the paramstyle of the driver (`?` for sqlite3, `%s` for psycopg and the MySQL drivers). With SQLAlchemy, use `text()` with `:name` bind parameters; with Django, pass `params` to `raw()`, `RawSQL()` and `extra()`. Table and column names cannot be parameters: pick them from a fixed allow-list.\n\n```python\nimport sqlite3\n\ndef find_user(conn, name):\n    cursor = conn.cursor()\n    cursor.execute("SELECT * FROM users WHERE name = ?", (name,))\n    return cursor.fetchone()\n```',
      knownProblems:
        'At a method found by name only (`execute`, `executemany`, `executescript`, peewee\'s `execute_sql`), a query is reported when it is visibly built from a string that looks like an SQL statement, or when it comes from a known untrusted source; a query passed in from elsewhere is not followed. The async drivers\' `fetch`, `fetchrow` and `fetchval` (asyncpg) and `fetch_all`, `fetch_one` and `fetch_val` (`databases`) share their names with other libraries, so a query built there must look like SQL even when it carries request data, and a query passed whole is reported only in a file that imports an async driver. `Model.raw` is read as SQL in files that import peewee, and `Model.manager.raw` in files that import Django. Unlike Bandit and Ruff, which report every SQL-looking string built from data, only strings that reach a query sink are reported. Values that cannot change a statement are not counted: numbers (`int(x)`), identifiers quoted with `quote_name`/`quote_ident`, and placeholder lists (`", ".join("?" * n)`). The fix is offered for single-line f-string, `%`, `.format()` and `+` queries whose values are plain names in value positions, when the file imports exactly one family of DB-API drivers.',
      references: [
        'https://docs.python.org/3/library/sqlite3.html#sqlite3-placeholders',
        'https://www.psycopg.org/docs/usage.html#passing-parameters-to-sql-queries',
        'https://docs.djangoproject.com/en/stable/topics/db/sql/',
        'https://cwe.mitre.org/data/definitions/89.html',
        'https://owasp.org/www-community/attacks/SQL_Injection',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const sink = querySink(node, context);
      if (sink) checkQuery(node, sink, context);
      else if (isDjangoExtra(node, context)) checkExtra(node, context);
    },
  },
  tests: {
    valid: [
      'import sqlite3\ncur.execute("SELECT * FROM users WHERE id = ?", (user_id,))',
      'import psycopg2\ncur.execute("SELECT * FROM users WHERE id = %s", [user_id])',
      'TABLE = "users"\ncur.execute(f"SELECT * FROM {TABLE} WHERE id = ?", (user_id,))',
      'cur.execute(f"Rendering {name} now")',
      'def run(cur, query):\n    cur.execute(query)',
      'marks = ", ".join("?" * len(ids))\ncur.execute(f"SELECT * FROM t WHERE id IN ({marks})", ids)',
      'cur.execute("SELECT * FROM t LIMIT %d" % int(limit))',
      'def drop(connection, table):\n    name = connection.ops.quote_name(table)\n    connection.cursor().execute("DELETE FROM %s" % name)',
      'from sqlalchemy import text\nsession.execute(text("SELECT * FROM users WHERE id = :id"), {"id": user_id})',
      'from django.db.models import RawSQL\nqs.annotate(v=RawSQL("SELECT col FROM t WHERE id = %s", (pk,)))',
      'from django.db import models\nUser.objects.extra(where=["id = %s"], params=[pk])',
      'User.objects.raw("SELECT * FROM app_user")',
      'import ast\nast.literal_eval(text)',
      'import asyncpg\nfrom flask import request\nasync def f(conn):\n    return await conn.fetch("SELECT * FROM users WHERE name = $1", request.args["name"])',
      'import asyncpg\nasync def f(conn, table):\n    return await conn.fetchval("SELECT count(*) FROM users WHERE org = $1", table)',
      'from flask import request\ndef pull(repo):\n    return repo.remotes.origin.fetch(request.args["ref"])',
      'from peewee import Model\nfrom flask import request\ndef f(db):\n    return db.execute_sql("SELECT * FROM t WHERE a = %s", (request.args["q"],))',
      'from peewee import Model\nfrom flask import request\ndef f():\n    return User.raw("SELECT * FROM user WHERE name = %s", request.args["n"])',
      'from django.db import models\ndef f(request):\n    return Person.people.raw("SELECT * FROM person WHERE id = %s", [request.GET["id"]])',
      'import pandas as pd\nfrom flask import request\ndef f(conn):\n    return pd.read_sql("SELECT * FROM sales WHERE day = %(day)s", conn, params={"day": request.args["day"]})',
      'import databases\nfrom flask import request\nasync def f(database):\n    return await database.fetch_all(query="SELECT * FROM notes WHERE id = :id", values={"id": request.args["id"]})',
    ],
    invalid: [
      {
        code: 'import sqlite3\ncur.execute(f"SELECT * FROM users WHERE name = \'{name}\'")',
        errors: [{ messageId: 'built', line: 2, confidence: 'medium', message: 'an f-string' }],
        output: 'import sqlite3\ncur.execute("SELECT * FROM users WHERE name = ?", (name,))',
      },
      {
        code: 'import psycopg2\ncur.execute("SELECT * FROM users WHERE id = %s AND org = %s" % (user.id, org))',
        errors: [{ messageId: 'built', message: '%-formatting' }],
        output: 'import psycopg2\ncur.execute("SELECT * FROM users WHERE id = %s AND org = %s", (user.id, org))',
      },
      {
        code: 'import sqlite3 as db\nconn.execute("DELETE FROM jobs WHERE owner = {}".format(owner))',
        errors: [{ messageId: 'built', message: 'str.format()' }],
        output: 'import sqlite3 as db\nconn.execute("DELETE FROM jobs WHERE owner = ?", (owner,))',
      },
      {
        code: 'import pymysql\ncursor.execute("UPDATE t SET a = 1 WHERE id = " + row_id)',
        errors: [{ messageId: 'built', message: 'concatenation' }],
        output: 'import pymysql\ncursor.execute("UPDATE t SET a = 1 WHERE id = %s", (row_id,))',
      },
      {
        code: 'import sqlite3\ndef add(cur, name, age):\n    cur.execute(f"INSERT INTO people VALUES (\'{name}\', {age})")',
        errors: [{ messageId: 'built', line: 3 }],
        output:
          'import sqlite3\ndef add(cur, name, age):\n    cur.execute("INSERT INTO people VALUES (?, ?)", (name, age))',
      },
      {
        code: 'import sqlite3\nfrom flask import request\ndef find(cur):\n    name = request.args["name"]\n    cur.execute("SELECT * FROM people WHERE name = \'%s\'" % name)',
        errors: [{ messageId: 'built', line: 5, confidence: 'high', severity: 'high' }],
        output:
          'import sqlite3\nfrom flask import request\ndef find(cur):\n    name = request.args["name"]\n    cur.execute("SELECT * FROM people WHERE name = ?", (name,))',
      },
      {
        code: 'import sqlite3\ncur.execute(f"SELECT * FROM t WHERE id = {row_id=}")',
        errors: [{ messageId: 'built' }],
      },
      {
        // A LIKE pattern around the value cannot become a parameter as it is.
        code: 'import sqlite3\ncur.execute(f"SELECT * FROM t WHERE name LIKE \'%{term}%\'")',
        errors: [{ messageId: 'built' }],
      },
      {
        // A table name cannot be a parameter: reported, not fixed.
        code: 'import sqlite3\ncur.execute(f"SELECT * FROM {table} WHERE id = 1")',
        errors: [{ messageId: 'built' }],
      },
      {
        // No driver import: the paramstyle is unknown.
        code: 'def get(session, x):\n    session.execute(f"SELECT * FROM t WHERE id = {x}")',
        errors: [{ messageId: 'built', line: 2 }],
      },
      {
        code: 'def search(cur, term, sort):\n    q = "SELECT * FROM items WHERE name LIKE \'%" + term + "%\'"\n    q += " ORDER BY " + sort\n    cur.execute(q)',
        errors: [{ messageId: 'built', line: 4, message: 'concatenation' }],
      },
      {
        code: 'def get(cursor, x):\n    query = f"SELECT * FROM t WHERE id = {x}"\n    cursor.execute(query)',
        errors: [{ messageId: 'built', line: 3 }],
      },
      {
        code: 'import sqlite3\nconnection.cursor().executescript("INSERT INTO log VALUES (%s)" % msg, )',
        errors: [{ messageId: 'built' }],
      },
      {
        code: 'from sqlalchemy import text as sql\ndef f(db, where):\n    db.execute(sql("SELECT * FROM t WHERE " + where))',
        errors: [{ messageId: 'built', line: 3, message: 'sqlalchemy.text' }],
      },
      {
        code: 'import pandas as pd\ndef load(conn, day):\n    return pd.read_sql(f"SELECT * FROM sales WHERE day = \'{day}\'", conn)',
        errors: [{ messageId: 'built', line: 3, message: 'pandas.read_sql' }],
      },
      {
        code: 'import sqlalchemy\ndef f(q):\n    return sqlalchemy.text(q)',
        errors: [{ messageId: 'dynamic', confidence: 'low' }],
      },
      {
        code: 'def f(name):\n    return Person.objects.raw("SELECT * FROM person WHERE name = \'%s\'" % name)',
        errors: [{ messageId: 'built', message: 'Manager.raw' }],
      },
      {
        code: 'from django.db.models.expressions import RawSQL\nqs.annotate(val=RawSQL(f"SELECT col FROM t WHERE id = {pk}", ()))',
        errors: [{ messageId: 'built', message: 'RawSQL' }],
      },
      {
        code: 'from django.db import models\ndef f(order):\n    return Entry.objects.extra(select={"is_recent": "pub_date > \'2006-01-01\'"}, order_by=[order])',
        errors: [{ messageId: 'extra', message: 'order_by' }],
      },
      {
        code: 'def f(x):\n    return User.objects.extra(where=["name = \'%s\'" % x])',
        errors: [{ messageId: 'extra', message: 'where' }],
      },
      {
        code: 'import asyncpg\nfrom flask import request\nasync def find(conn):\n    name = request.args["name"]\n    return await conn.fetch(f"SELECT * FROM users WHERE name = \'{name}\'")',
        errors: [{ messageId: 'built', line: 5, confidence: 'high', message: '.fetch()' }],
      },
      {
        code: 'import asyncpg\nasync def one(pool, uid):\n    async with pool.acquire() as conn:\n        return await conn.fetchrow("SELECT * FROM users WHERE id = %s" % uid)',
        errors: [{ messageId: 'built', line: 4, message: '.fetchrow()' }],
      },
      {
        code: 'import asyncpg\nfrom flask import request\nasync def count(conn):\n    return await conn.fetchval("SELECT count(*) FROM t WHERE x = \'" + request.args["x"] + "\'")',
        errors: [{ messageId: 'built', line: 4, message: '.fetchval()' }],
      },
      {
        code: 'import asyncpg\nfrom flask import request\nasync def run(conn):\n    return await conn.fetch(request.args["query"])',
        errors: [{ messageId: 'dynamic', line: 4, confidence: 'high' }],
      },
      {
        code: 'import aiopg\nfrom flask import request\nasync def run(pool):\n    async with pool.cursor() as cur:\n        await cur.execute("DELETE FROM jobs WHERE owner = \'%s\'" % request.form["owner"])',
        errors: [{ messageId: 'built', line: 5, confidence: 'high' }],
      },
      {
        code: 'from peewee import SqliteDatabase\nfrom flask import request\ndb = SqliteDatabase("app.db")\ndef search():\n    q = request.args["q"]\n    return db.execute_sql(f"SELECT * FROM note WHERE body LIKE \'%{q}%\'")',
        errors: [{ messageId: 'built', line: 6, message: '.execute_sql()' }],
      },
      {
        code: 'from peewee import Model\nfrom flask import request\ndef by_name():\n    return User.raw("SELECT * FROM user WHERE name = \'%s\'" % request.args["n"])',
        errors: [{ messageId: 'built', line: 4, message: 'Model.raw' }],
      },
      {
        code: "from django.db import models\ndef v(request):\n    return Person.people.raw(f\"SELECT * FROM person WHERE last_name = '{request.GET['n']}'\")",
        errors: [{ messageId: 'built', line: 3, message: 'Manager.raw' }],
      },
      {
        code: 'from sqlalchemy.orm import Session\nfrom flask import request\ndef f(session: Session):\n    q = request.args["q"]\n    return session.execute("SELECT * FROM t WHERE a = \'%s\'" % q).all()',
        errors: [{ messageId: 'built', line: 5, confidence: 'high' }],
      },
      {
        code: 'import pandas as pd\nfrom flask import request\ndef report(conn):\n    return pd.read_sql_query("SELECT * FROM t WHERE region = \'" + request.args["r"] + "\'", conn)',
        errors: [{ messageId: 'built', line: 4, message: 'pandas.read_sql_query' }],
      },
    ],
  },
});
