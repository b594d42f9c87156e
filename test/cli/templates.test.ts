import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Workspace } from './workspace.js';

let workspace: Workspace;
beforeEach(() => {
  workspace = new Workspace();
});
afterEach(() => workspace.dispose());

const PROFILE = [
  '{% extends "base.html" %}',
  '{% block content %}',
  '  <h1>{{ user.name }}</h1>',
  '  <div class="bio">{{ user.bio|safe }}</div>',
  '{% endblock %}',
  '',
].join('\n');

interface JsonReport {
  findings: { ruleId: string; path: string; line: number; severity: string }[];
  stats: { files: number };
}

const scan = async (...argv: string[]) => {
  const { code, stdout } = await workspace.warden('scan', '--format', 'json', ...argv);
  const report = JSON.parse(stdout) as JsonReport;
  return { code, files: report.stats.files, findings: report.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`) };
};

describe('warden scan: Django and Jinja2 templates', () => {
  it('reports |safe and autoescape off in templates, counts them as scanned files and leaves excluded ones out', async () => {
    workspace
      .initRepository()
      .write('.github/warden.yml', "paths:\n  exclude: ['vendor/**']\n")
      .write('app/templates/profile.html', PROFILE)
      .write('app/templates/mail/report.jinja2', '{% autoescape false %}\n{{ rows }}\n{% endautoescape %}\n')
      .write('app/templates/plain.html', '<p>{{ user.name }}</p>\n')
      .write('vendor/templates/widget.html', '{{ html|safe }}\n')
      .write('app/views.py', 'def view():\n    return 1\n');
    const { code, files, findings } = await scan();
    expect(findings).toEqual([
      'template-unescaped-output app/templates/mail/report.jinja2:1',
      'template-unescaped-output app/templates/profile.html:4',
    ]);
    expect(files).toBe(4);
    // Medium severity: below the default gate of high.
    expect(code).toBe(0);
  });

  it('reports with --diff only the template outputs the change added, not those that moved', async () => {
    workspace.initRepository().write('app/templates/profile.html', PROFILE).commitAll('first');
    workspace
      .write(
        'app/templates/profile.html',
        PROFILE.replace('{% block content %}', '{% block content %}\n  <p>{{ request.GET.q|safe }}</p>'),
      )
      .commitAll('second');
    expect((await scan('--diff', 'HEAD~1')).findings).toEqual([
      'template-unescaped-output app/templates/profile.html:3',
    ]);
  });

  it('scans no template when the rule is off, and honours a per-rule exclude', async () => {
    workspace.initRepository().write('legacy/templates/old.html', PROFILE).write('app/templates/profile.html', PROFILE);
    workspace.write('.github/warden.yml', 'rules:\n  template-unescaped-output: off\n');
    expect(await scan()).toMatchObject({ files: 0, findings: [] });
    workspace.write('.github/warden.yml', "rules:\n  template-unescaped-output: { exclude: ['legacy/**'] }\n");
    expect((await scan()).findings).toEqual(['template-unescaped-output app/templates/profile.html:4']);
  });
});
