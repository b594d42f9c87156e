import { pushChildrenReversed } from '../../engine/syntax-tree.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { isTestPath, nameWords, stringContent } from '../support/secrets-names.js';

/** Whole names that are access checks. */
const ACCESS_NAMES = new Set([
  'is_authenticated',
  'is_anonymous',
  'is_admin',
  'is_staff',
  'is_superuser',
  'is_owner',
  'has_perm',
  'has_perms',
  'has_permission',
  'has_object_permission',
  'has_role',
  'is_authorized',
  'is_authorised',
  'authorized',
  'authorised',
  'check_permission',
  'can_access',
  'can_edit',
  'can_view',
  'can_delete',
  'owner',
  'owner_id',
  'logged_in',
  'is_logged_in',
]);
/** Words that make a name an access check wherever they appear (`user_permissions`, `admin_role`). */
const ACCESS_WORDS = new Set([
  'permission',
  'permissions',
  'perm',
  'perms',
  'role',
  'roles',
  'authorized',
  'authorised',
  'superuser',
  'authenticated',
]);
/** Claims and keys of a decoded token or session that decide access: `claims["role"]`, `payload["scope"]`. */
const ACCESS_KEYS = new Set([
  'role',
  'roles',
  'scope',
  'scopes',
  'scp',
  'permissions',
  'groups',
  'tenant',
  'tenant_id',
  'org_id',
  'organization_id',
  'is_admin',
  'admin',
  'aud',
  'sub',
]);
/** Words that name a tenant or membership check wherever they appear (`tenant_id`, `is_member_of`). */
const MEMBERSHIP_WORDS = new Set(['tenant', 'membership', 'member']);
/** Objects whose `scope` is an access check (`token.scope`, `claims.scope`), unlike a compiler's scope. */
const CLAIM_HOLDERS = /claims?|token|jwt|payload|principal|identity|grant/i;
/** Tokens are access checks only with a qualifier: a bare `token` is usually a lexer's. */
const TOKEN_QUALIFIERS = new Set(['access', 'auth', 'api', 'csrf', 'session', 'bearer', 'jwt', 'refresh', 'id']);

function accessName(name: string): boolean {
  if (ACCESS_NAMES.has(name.toLowerCase())) return true;
  const words = nameWords(name);
  return words.some(
    (word, i) =>
      ACCESS_WORDS.has(word) ||
      MEMBERSHIP_WORDS.has(word) ||
      word === 'claims' ||
      (word === 'token' && i > 0 && TOKEN_QUALIFIERS.has(words[i - 1])),
  );
}

/** `claims["role"]`, `payload.get("scope")`, `token.scope`: a claim read from a token or session. */
function claimAccess(node: SyntaxNode): string | undefined {
  if (node.type === 'subscript') {
    const key = node.childForFieldName('subscript');
    const name = key?.type === 'string' ? stringContent(key) : undefined;
    if (name && ACCESS_KEYS.has(name)) return `${node.childForFieldName('value')?.text ?? ''}["${name}"]`;
  }
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    const key = node.childForFieldName('arguments')?.namedChildren[0];
    const name = key?.type === 'string' ? stringContent(key) : undefined;
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'get' && name && ACCESS_KEYS.has(name))
      return `${fn.text}("${name}")`;
  }
  if (node.type === 'attribute') {
    const attribute = node.childForFieldName('attribute')?.text ?? '';
    const object = node.childForFieldName('object')?.text ?? '';
    if ((attribute === 'scope' || attribute === 'scopes') && CLAIM_HOLDERS.test(object)) return node.text;
  }
  return undefined;
}

/** `provided_token == expected_token`: a secret compared with `==` inside an assert, on both sides. */
function tokenEquality(node: SyntaxNode): string | undefined {
  if (node.type !== 'comparison_operator') return undefined;
  const [left, right] = node.namedChildren;
  const names = [left, right].map((side) => (side ? lastName(side) : undefined));
  if (names.some((name) => name === undefined)) return undefined;
  return names.every((name) => nameWords(name!).some((w) => w === 'token' || w === 'secret' || w === 'signature'))
    ? (names.find((name) => accessName(name!)) ?? names[0])
    : undefined;
}

function lastName(node: SyntaxNode): string | undefined {
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') return node.childForFieldName('attribute')?.text;
  if (node.type === 'subscript') {
    const key = node.childForFieldName('subscript');
    return key?.type === 'string' ? stringContent(key) : undefined;
  }
  return undefined;
}

/** The first access-related name in an assert's condition (identifiers and attribute names, not string text). */
function accessMention(condition: SyntaxNode): string | undefined {
  const stack = [condition];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'identifier' && accessName(node.text)) return node.text;
    const claim = claimAccess(node) ?? tokenEquality(node);
    if (claim) return claim;
    if (node.type === 'string') continue;
    pushChildrenReversed(stack, node);
  }
  return undefined;
}

export default createRule({
  id: 'assert-access-control',
  meta: {
    title: 'Access control enforced with assert',
    category: 'authentication',
    cwe: [617, 285],
    severity: 'medium',
    confidence: 'medium',
    equivalents: { bandit: ['B101'], ruff: ['S101'] },
    messages: {
      assertAccess:
        '`assert` checks `{{name}}`; asserts are removed under `python -O`, which turns this access check off',
    },
    docs: {
      why: 'Python drops every `assert` statement when it runs with `-O` or `PYTHONOPTIMIZE`, as many container images and deployment tools do. An authorisation check written as an assert silently disappears there, letting any user through.',
      example:
        'def delete_project(request, project):\n    assert request.user.is_staff, "staff only"\n    project.delete()',
      fix: 'Check the condition with `if` and raise an exception your framework turns into a 403 (`PermissionDenied` in Django, `abort(403)` in Flask, `HTTPException(403)` in FastAPI).\n\n```python\nfrom django.core.exceptions import PermissionDenied\n\ndef delete_project(request, project):\n    if not request.user.is_staff:\n        raise PermissionDenied("staff only")\n    project.delete()\n```',
      knownProblems:
        'Narrower than Bandit B101 / Ruff S101, which report every `assert`: only asserts whose condition names an access check (`is_authenticated`, `is_admin`, `is_staff`, `is_superuser`, `has_perm`, permissions, roles, owners, tenants, memberships, auth tokens), reads a deciding claim of a token or session (`claims["role"]`, `payload.get("scope")`, `token.scope`, `["tenant_id"]`, `["aud"]`, `["sub"]`) or compares two tokens, secrets or signatures with `==` are reported, and never in test files (`test_*.py`, `*_test.py`, `conftest.py`, anything under `tests/`), where asserts are the point. No fix is offered: the right exception depends on the framework.',
      references: [
        'https://docs.python.org/3/reference/simple_stmts.html#the-assert-statement',
        'https://cwe.mitre.org/data/definitions/617.html',
        'https://docs.djangoproject.com/en/stable/ref/exceptions/#permissiondenied',
      ],
    },
  },
  visitors: {
    assert_statement(node, context) {
      if (isTestPath(context.path)) return;
      const condition = node.namedChildren.find((c) => c.type !== 'comment');
      const name = condition && accessMention(condition);
      if (name) context.report({ node, messageId: 'assertAccess', data: { name } });
    },
  },
  tests: {
    valid: [
      'assert isinstance(value, int)',
      'assert token.type == NAME, "lexer out of sync"',
      { code: 'def test_admin(client):\n    assert client.user.is_admin', filename: 'tests/test_views.py' },
      { code: 'assert user.has_perm("app.change")', filename: 'app/test_permissions.py' },
      'assert "permission" in message',
      'assert scope in (LOCAL, GLOBAL), scope',
      'assert m.group(1) == "x"\nassert tok.type == token.NAME',
      'assert len(members) == 3',
    ],
    invalid: [
      {
        code: 'def view(request):\n    assert request.user.is_authenticated\n    return data',
        errors: [{ messageId: 'assertAccess', line: 2, message: '`is_authenticated`' }],
      },
      {
        code: 'assert user.has_perm("app.delete_item"), "forbidden"',
        filename: 'app/views.py',
        errors: [{ messageId: 'assertAccess' }],
      },
      { code: 'assert current_user.role == "admin"', errors: [{ messageId: 'assertAccess', message: '`role`' }] },
      { code: 'assert document.owner_id == user.id', errors: [{ messageId: 'assertAccess' }] },
      {
        code: 'def delete(claims, item):\n    assert claims["role"] == "admin"\n    item.delete()',
        errors: [{ messageId: 'assertAccess', line: 2, message: 'claims["role"]' }],
      },
      {
        code: 'def read(token_info):\n    assert "orders:read" in token_info.get("scope", "").split()',
        errors: [{ messageId: 'assertAccess', message: 'token_info.get("scope")' }],
      },
      {
        code: 'def invoice(user, invoice):\n    assert invoice.tenant_id == user.tenant_id, "cross-tenant access"',
        errors: [{ messageId: 'assertAccess', message: 'tenant_id' }],
      },
      {
        code: 'def webhook(provided_signature, expected_signature):\n    assert provided_signature == expected_signature',
        errors: [{ messageId: 'assertAccess', message: 'provided_signature' }],
      },
      {
        code: 'def join(user, team):\n    assert team.has_member(user)\n    assert jwt_claims.scope == "admin"',
        errors: [
          { messageId: 'assertAccess', line: 2, message: 'has_member' },
          { messageId: 'assertAccess', line: 3 },
        ],
      },
      {
        code: 'assert request.headers["X-Token"] == settings.API_TOKEN',
        errors: [{ messageId: 'assertAccess', message: 'API_TOKEN' }],
      },
    ],
  },
});
