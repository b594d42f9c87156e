import { describe, expect, test } from '@jest/globals';
import { blob, createTestApp, GitHubMock, githubPatch, HEAD_SHA, pullRequestPayload, useNock } from './harness.js';

useNock();

const PATH = 'shop/templates/shop/product.html';
const BASE = [
  '{% extends "shop/base.html" %}',
  '{% block content %}',
  '  <h1>{{ product.name }}</h1>',
  '  <div class="legal">{{ product.legal_notice|safe }}</div>',
  '  <p>{{ product.price }}</p>',
  '{% endblock %}',
  '',
].join('\n');
// The change adds a review written by a customer, unescaped; the old `|safe` moves down a line.
const HEAD = BASE.replace(
  '  <h1>{{ product.name }}</h1>',
  '  <h1>{{ product.name }}</h1>\n  <blockquote>{{ review.text|safe }}</blockquote>',
);

describe('templates in the pull request scan', () => {
  test('a |safe the pull request adds to a template gets an annotation and an inline comment on its line; the old one is not new', async () => {
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config()
      .files([{ filename: PATH, status: 'modified', patch: githubPatch(BASE, HEAD) }])
      .contents({ [`${HEAD_SHA}:${PATH}`]: blob(HEAD) })
      .publishingWithReview();

    await createTestApp().receive(pullRequestPayload({ changedFiles: 1 }));

    const check = github.bodies.updateCheckRun[0];
    // Medium severity, below the default `fail_on` of high: reported, not failing.
    expect(check.conclusion).toBe('neutral');
    expect(check.output.title).toBe('1 finding (1 medium)');
    expect(check.output.summary).toMatch(/^Scanned 0 Python files and 1 template at `ec26c3e`/);
    expect(check.output.annotations).toEqual([
      expect.objectContaining({
        path: PATH,
        start_line: 4,
        end_line: 4,
        annotation_level: 'warning',
        title: 'Template output not HTML-escaped (template-unescaped-output)',
      }),
    ]);
    expect(check.output.summary).toContain('template-unescaped-output');
    const comments = github.bodies.review[0].comments;
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ path: PATH, line: 4, side: 'RIGHT' });
    expect(comments[0].body).toContain('`review.text|safe` is written into the page without HTML escaping');
  });

  test('a template the config turns the rule off for is not read at all', async () => {
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config('rules:\n  template-unescaped-output: off\n')
      .files([{ filename: PATH, status: 'modified', patch: githubPatch(BASE, HEAD) }])
      .publishingWithoutReview();

    await createTestApp().receive(pullRequestPayload({ changedFiles: 1 }));

    expect(github.bodies.graphql ?? []).toEqual([]);
    expect(github.bodies.updateCheckRun[0].output.annotations).toEqual([]);
  });
});
