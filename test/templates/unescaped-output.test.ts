import { describe, expect, test } from '@jest/globals';
import { resolveConfig } from '../../src/config/load.js';
import { pathFilter } from '../../src/scan/select-files.js';
import { templateChecksEnabled } from '../../src/templates/settings.js';
import { checkTemplate, isTemplatePath, templateRule } from '../../src/templates/unescaped-output.js';

const at = (filename: string | undefined) => filename ?? 'templates/page.html';

describe('template-unescaped-output examples', () => {
  test.each(templateRule.tests.invalid.map((example) => [example.code, example] as const))(
    'reports %s',
    (_code, example) => {
      const found = checkTemplate(at(example.filename), example.code).filter((finding) => !finding.suppressed);
      expect(found.map(({ messageId, line }) => ({ messageId, line }))).toEqual(
        example.errors.map(({ messageId, line }) => ({ messageId, line })),
      );
    },
  );

  test.each(templateRule.tests.valid.map((example) => [typeof example === 'string' ? example : example.code]))(
    'does not report %s',
    (code) => {
      expect(checkTemplate('templates/page.html', code).filter((finding) => !finding.suppressed)).toEqual([]);
    },
  );
});

describe('template findings', () => {
  test('include both outputs of the documented insecure example', () => {
    expect(checkTemplate('templates/page.html', templateRule.meta.docs.example).map((f) => f.messageId)).toEqual([
      'safeFilter',
      'autoescapeOff',
    ]);
  });

  test('carry the rule metadata, the tag as written and a 1-based span', () => {
    const [finding] = checkTemplate('app/templates/profile.html', '<p>\n  <b>{{ user.bio | safe }}</b>\n</p>');
    expect(finding).toMatchObject({
      ruleId: 'template-unescaped-output',
      cwe: [79],
      severity: 'medium',
      confidence: 'medium',
      line: 2,
      column: 6,
      endLine: 2,
      endColumn: 27,
      message: '`user.bio | safe` is written into the page without HTML escaping (`|safe`)',
    });
  });

  test('keep their fingerprint when lines move or spacing changes, and tell identical tags apart by order', () => {
    const before = checkTemplate('t.html', '{% block main %}{{ a|safe }}\n{{ a|safe }}{% endblock %}');
    const after = checkTemplate('t.html', '\n\n{% block main %}\n  {{-  a | safe  }}\n{{a|safe}}{% endblock %}');
    expect(after.map((f) => f.fingerprint)).toEqual(before.map((f) => f.fingerprint));
    expect(new Set(before.map((f) => f.fingerprint)).size).toBe(2);
    const otherBlock = checkTemplate('t.html', '{% block side %}{{ a|safe }}{% endblock %}');
    expect(otherBlock[0].fingerprint).not.toBe(before[0].fingerprint);
  });

  test('are marked suppressed by a comment on their line or an ignore-next-line above, never by one for another rule', () => {
    const found = checkTemplate(
      't.html',
      [
        '{{ a|safe }} {# nosec #}',
        '{# warden: ignore-next-line[template-unescaped-output] #}',
        '{{ b|safe }}',
        '{{ c|safe }} {# warden: ignore[sql-injection] #}',
      ].join('\n'),
    );
    expect(found.map((f) => [f.line, f.suppressed?.kind])).toEqual([
      [1, 'nosec'],
      [3, 'warden'],
      [4, undefined],
    ]);
  });

  test('are low confidence for markup by convention and for plain-text e-mail templates', () => {
    expect(
      checkTemplate('t.html', '{{ field.help_text|safe }}{{ summary_html|safe }}').map((f) => f.confidence),
    ).toEqual(['low', 'low']);
    const email = checkTemplate(
      'registration/password_reset_email.html',
      '{% autoescape off %}{{ url }}{% endautoescape %}',
    );
    expect(email.map((f) => f.confidence)).toEqual(['low']);
    const mailbox = checkTemplate('webmail/mailbox.html', '{% autoescape off %}{{ message.body }}{% endautoescape %}');
    expect(mailbox.map((f) => f.confidence)).toEqual(['medium']);
  });

  test('report an autoescape block once, not every |safe inside it, and an unclosed block too', () => {
    const found = checkTemplate('t.html', '{% autoescape off %}{{ a|safe }}{{ b }}');
    expect(found.map((f) => f.messageId)).toEqual(['autoescapeOff']);
    expect(checkTemplate('t.html', '{% autoescape off %}<p>static</p>')).toEqual([]);
  });

  test('stay linear on unterminated tags', () => {
    const text = '{{ '.repeat(200_000) + '{% '.repeat(200_000) + '{{ x|safe }}';
    expect(checkTemplate('t.html', text)).toEqual([]);
  });
});

describe('which files are templates', () => {
  test('by extension anywhere, and markup-like extensions inside a templates directory', () => {
    for (const path of ['a/b.html', 'x.HTM', 'mail.jinja', 'page.jinja2', 'p.j2', 'q.djhtml', 'app/templates/feed.xml'])
      expect(isTemplatePath(path)).toBe(true);
    for (const path of ['views.py', 'feed.xml', 'templates/readme.txt', 'static/app.js'])
      expect(isTemplatePath(path)).toBe(false);
  });

  test('follow `paths.exclude` and the rule switch, and are never taken for Python', () => {
    const { config } = resolveConfig({ paths: { exclude: ['vendor/**'] } });
    const filter = pathFilter(config.paths, { manifests: false, templates: templateChecksEnabled(config) });
    expect(filter.template('app/templates/a.html')).toBe('scan');
    expect(filter.template('vendor/templates/a.html')).toBe('excluded');
    expect(filter.python('a.html', true)).toBe('other');
    const off = resolveConfig({ rules: { 'template-unescaped-output': 'off' } }).config;
    expect(templateChecksEnabled(off)).toBe(false);
    expect(pathFilter(off.paths, { manifests: false, templates: false }).template('a.html')).toBe('other');
  });
});
