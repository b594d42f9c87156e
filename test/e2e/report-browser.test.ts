import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureBuiltApp, ROOT } from './harness.js';

/**
 * Opens demo/report.html (written by `npm run demo`) in headless Chromium and checks that the
 * inline comments sit under the lines they are about, as on GitHub. Saves demo/report.png.
 */

const CHROMIUM = '/usr/bin/chromium';
const REPORT = join(ROOT, 'demo', 'report.html');
const SCREENSHOT = join(ROOT, 'demo', 'report.png');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `e2e: ${CHROMIUM} is missing (apt-get install -y chromium); the browser check of demo/report.html is skipped`,
  );

interface PlacedComment {
  line: string;
  side: string;
  text: string;
  minimized: boolean;
  open: boolean;
  removed: string[];
  added: string[];
  context: string;
}

/** What the page shows, read in the browser: each comment row with the diff row above it, and the outdated comments. */
interface RenderedReport {
  rows: { rowLine: string; rowCode: string; comments: PlacedComment[] }[];
  outdated: PlacedComment[];
  annotations: { line: string; rowLine: string; rowCode: string; text: string }[];
  latestCheck: { tables: number; text: string };
}

// Runs in the page; a string so the test needs no DOM typings.
const COLLECT_REPORT = `(() => {
  const describe = (comment) => {
    const details = comment.querySelector('details');
    const suggestion = comment.querySelector('.suggestion table');
    const rows = (kind) => suggestion ? [...suggestion.querySelectorAll('tr.' + kind)].map((row) => row.textContent) : [];
    return {
      line: comment.dataset.line, side: comment.dataset.side, text: comment.textContent,
      minimized: comment.classList.contains('minimized'), open: details ? details.open : true,
      removed: rows('del'), added: rows('add'),
      context: comment.querySelector('.hunk-context') ? comment.querySelector('.hunk-context').textContent : '',
    };
  };
  const latest = document.querySelector('.check-run.latest');
  return {
    rows: [...document.querySelectorAll('tr.comment-row')].map((row) => ({
      rowLine: row.previousElementSibling.dataset.newLine,
      rowCode: row.previousElementSibling.querySelector('td.code').textContent,
      comments: [...row.querySelectorAll('.comment')].map(describe),
    })),
    outdated: [...document.querySelectorAll('.outdated .comment')].map(describe),
    annotations: [...document.querySelectorAll('tr.annotation-row .annotation')].map((annotation) => {
      let line = annotation.closest('tr').previousElementSibling;
      while (line && !line.classList.contains('line')) line = line.previousElementSibling;
      return { line: annotation.dataset.line, rowLine: line.dataset.newLine, rowCode: line.querySelector('td.code').textContent, text: annotation.textContent };
    }),
    latestCheck: { tables: latest.querySelectorAll('table').length, text: latest.textContent },
  };
})()`;

(hasChromium ? describe : describe.skip)('demo/report.html in a browser', () => {
  let browser: Browser;
  let page: Page;
  let report: RenderedReport;

  beforeAll(async () => {
    ensureBuiltApp();
    const demo = spawnSync('node', ['build/dev/demo.js'], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
    if (demo.status !== 0)
      throw new Error(`the demo failed (exit ${demo.status}):\n${demo.stderr}\n${demo.stdout.slice(-3000)}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(pathToFileURL(REPORT).href);
    report = await page.evaluate<RenderedReport>(COLLECT_REPORT);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
  });

  function placedComment(ruleId: string): { rowLine: string; rowCode: string; comment: PlacedComment } {
    for (const row of report.rows) {
      const comment = row.comments.find((candidate) => candidate.text.includes(ruleId));
      if (comment) return { rowLine: row.rowLine, rowCode: row.rowCode, comment };
    }
    throw new Error(`no inline comment mentions ${ruleId}`);
  }

  test('every placed comment sits right under the diff line it anchors to', () => {
    expect(report.rows.length).toBeGreaterThanOrEqual(3);
    for (const row of report.rows) {
      for (const comment of row.comments) expect([comment.side, comment.line]).toEqual(['RIGHT', row.rowLine]);
    }
  });

  test.each([
    ['subprocess-shell-true', 'shell=True'],
    ['yaml-unsafe-load', 'yaml.load(request.data)'],
    ['code-injection', 'eval(rule)'],
  ])('the %s comment is under the line with %s', (ruleId, code) => {
    const { rowCode, rowLine, comment } = placedComment(ruleId);
    expect(rowCode).toContain(code);
    expect(comment.line).toBe(rowLine);
  });

  test('a suggestion shows the commented line removed and the replacement added', () => {
    const { comment } = placedComment('yaml-unsafe-load');
    expect(comment.removed.join('\n')).toContain('yaml.load(request.data)');
    expect(comment.added.join('\n')).toContain('yaml.safe_load(request.data)');
  });

  test('the comment on the fixed SQL query is collapsed among the comments on earlier versions, with its old line', () => {
    const sql = report.outdated.find((comment) => comment.context.includes('db().execute(f"SELECT'));
    expect(sql).toBeDefined();
    expect(sql!.minimized).toBe(true);
    expect(sql!.open).toBe(false);
    expect(sql!.text).toMatch(/marked as (resolved|outdated)/);
  });

  test('the latest check run annotations sit under their lines too', () => {
    expect(report.annotations.length).toBeGreaterThanOrEqual(4);
    for (const annotation of report.annotations) expect(annotation.line).toBe(annotation.rowLine);
    expect(report.annotations.find((annotation) => annotation.text.includes('code-injection'))?.rowCode).toContain(
      'eval(rule)',
    );
  });

  test('the latest check run summary is rendered from its Markdown', () => {
    expect(report.latestCheck.tables).toBeGreaterThan(0);
    expect(report.latestCheck.text).toContain('code-injection');
    expect(report.latestCheck.text).not.toContain('|---');
  });

  test('a screenshot of the page is saved to demo/report.png', async () => {
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });
});
