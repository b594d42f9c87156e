import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { isTestPath, nameWords } from '../support/secrets-names.js';

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
/** Tokens are access checks only with a qualifier: a bare `token` is usually a lexer's. */
const TOKEN_QUALIFIERS = new Set(['access', 'auth', 'api', 'csrf', 'session', 'bearer', 'jwt', 'refresh', 'id']);

function accessName(name: string): boolean {
  if (ACCESS_NAMES.has(name.toLowerCase())) return true;
  const words = nameWords(name);
  return words.some(
    (word, i) => ACCESS_WORDS.has(word) || (word === 'token' && i > 0 && TOKEN_QUALIFIERS.has(words[i - 1]!)),
  );
}

/** The first access-related name in an assert's condition (identifiers and attribute names, not string text). */
function accessMention(condition: SyntaxNode): string | undefined {
  const stack = [condition];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'identifier' && accessName(node.text)) return node.text;
    if (node.type === 'string') continue;
    for (let i = node.namedChildCount - 1; i >= 0; i--) stack.push(node.namedChild(i)!);
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
        'Narrower than Bandit B101 / Ruff S101, which report every `assert`: only asserts whose condition names an access check (`is_authenticated`, `is_admin`, `is_staff`, `is_superuser`, `has_perm`, permissions, roles, owners, auth tokens) are reported, and never in test files (`test_*.py`, `*_test.py`, `conftest.py`, anything under `tests/`), where asserts are the point. No fix is offered: the right exception depends on the framework.',
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
        code: 'assert request.headers["X-Token"] == settings.API_TOKEN',
        errors: [{ messageId: 'assertAccess', message: 'API_TOKEN' }],
      },
    ],
  },
});
