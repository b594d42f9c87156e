import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';

const CSRF_EXEMPT = 'django.views.decorators.csrf.csrf_exempt';
const METHOD_DECORATOR = 'django.utils.decorators.method_decorator';

/** True when `node` names `csrf_exempt` itself or is a list/tuple holding it (`method_decorator([csrf_exempt, …])`). */
function namesCsrfExempt(node: SyntaxNode | undefined, context: RuleContext<string>): boolean {
  if (!node) return false;
  if (node.type === 'list' || node.type === 'tuple')
    return node.namedChildren.some((item) => namesCsrfExempt(item, context));
  return context.qualifiedName(node) === CSRF_EXEMPT;
}

export default createRule({
  id: 'django-csrf-exempt',
  meta: {
    title: 'Django view exempted from CSRF protection',
    category: 'csrf',
    cwe: [352],
    severity: 'medium',
    confidence: 'high',
    equivalents: { semgrep: ['python.django.security.audit.csrf-exempt.no-csrf-exempt'] },
    messages: {
      decorator:
        '`@csrf_exempt` turns off CSRF protection for this view; a forged cross-site request can act as the logged-in user',
      wrapped:
        '`csrf_exempt(...)` turns off CSRF protection for the wrapped view; a forged cross-site request can act as the logged-in user',
    },
    docs: {
      why: "Django's `CsrfViewMiddleware` rejects state-changing requests that do not carry the per-session CSRF token. `csrf_exempt` removes that check: any site the victim visits can submit a form or `fetch` to the view, and the browser attaches the victim's session cookie.",
      example:
        'from django.http import JsonResponse\nfrom django.views.decorators.csrf import csrf_exempt\n\n@csrf_exempt\ndef transfer(request):\n    request.user.account.send(request.POST["to"], request.POST["amount"])\n    return JsonResponse({"ok": True})',
      fix: 'Remove the exemption and send the CSRF token from the client (the `{% csrf_token %}` tag in forms, the `X-CSRFToken` header in JavaScript). Endpoints called by other servers (webhooks) should authenticate each request instead, for example by checking an HMAC signature, and must not rely on cookies.\n\n```python\nfrom django.http import JsonResponse\nfrom django.views.decorators.http import require_POST\n\n@require_POST\ndef transfer(request):\n    request.user.account.send(request.POST["to"], request.POST["amount"])\n    return JsonResponse({"ok": True})\n```',
      knownProblems:
        'Webhook receivers and token-authenticated APIs that never use cookie sessions are legitimately exempt; suppress those with a comment that names the authentication they use.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/csrf/',
        'https://docs.djangoproject.com/en/stable/howto/csrf/',
        'https://cwe.mitre.org/data/definitions/352.html',
        'https://owasp.org/www-community/attacks/csrf',
      ],
    },
  },
  visitors: {
    decorator(node, context) {
      if (!context.isModuleImported('django')) return;
      const expression = node.namedChildren.find((c) => c.type !== 'comment');
      if (expression && context.qualifiedName(expression) === CSRF_EXEMPT)
        context.report({ node, messageId: 'decorator' });
    },
    call(node, context) {
      if (!context.isModuleImported('django')) return;
      const fn = context.calleeName(node);
      if (fn === CSRF_EXEMPT) context.report({ node, messageId: 'wrapped' });
      else if (fn === METHOD_DECORATOR && namesCsrfExempt(context.argument(node, 0, 'decorator'), context))
        context.report({ node, messageId: 'decorator' });
    },
  },
  tests: {
    valid: [
      'from django.views.decorators.csrf import csrf_protect\n\n@csrf_protect\ndef view(request):\n    pass',
      'from django.views.decorators.http import require_POST\n\n@require_POST\ndef view(request):\n    pass',
      'def csrf_exempt(view):\n    return view\n\n@csrf_exempt\ndef view(request):\n    pass',
      'from django.views.decorators.csrf import ensure_csrf_cookie\nurlpatterns = [path("", ensure_csrf_cookie(index))]',
    ],
    invalid: [
      {
        code: 'from django.views.decorators.csrf import csrf_exempt\n\n@csrf_exempt\ndef hook(request):\n    pass',
        errors: [{ messageId: 'decorator', line: 3 }],
      },
      {
        code: 'from django.views.decorators import csrf\n\n@csrf.csrf_exempt\ndef hook(request):\n    pass',
        errors: [{ messageId: 'decorator', line: 3 }],
      },
      {
        code: 'from django.views.decorators.csrf import csrf_exempt as no_csrf\nurlpatterns = [path("pay/", no_csrf(views.pay))]',
        errors: [{ messageId: 'wrapped', line: 2 }],
      },
      {
        code: 'from django.utils.decorators import method_decorator\nfrom django.views.decorators.csrf import csrf_exempt\n\n@method_decorator(csrf_exempt, name="dispatch")\nclass Hook(View):\n    pass',
        errors: [{ messageId: 'decorator', line: 4 }],
      },
    ],
  },
});
