/**
 * Pins the engine's findings across a change that must not alter them (a faster node model, a
 * new walker): capture the JSON findings of one build on the CPython stdlib and Django, capture
 * them again after the change, and diff the two.
 *
 *   node tools/compare-findings.mjs capture OUT_DIR [--cli dist/cli/main.js]
 *   node tools/compare-findings.mjs diff BEFORE_DIR AFTER_DIR
 *
 * `capture` runs `warden scan --format json` (the built CLI, or the one given) once per corpus
 * with the corpus root as working directory, so that paths do not depend on the machine.
 * `diff` prints every finding that appears, disappears or changes, and any change in skipped
 * files, parse errors or rule errors; it exits 1 when there is one.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL('../', import.meta.url));

async function corpora() {
  const { corpora: list, pythonFiles } = await import(join(repositoryRoot, 'build/tools/support/corpus.js'));
  return list((message) => process.stderr.write(`compare-findings: ${message}\n`)).map((corpus) => ({
    ...corpus,
    files: pythonFiles(corpus).map((path) => relative(corpus.root, path)),
  }));
}

function fileNameOf(corpusName) {
  return `${corpusName.replace(/[^\w.]+/g, '-').toLowerCase()}.json`;
}

async function capture(outDir, cli) {
  mkdirSync(outDir, { recursive: true });
  for (const corpus of await corpora()) {
    const started = Date.now();
    // `warden scan` exits 1 when it finds something; the report is on stdout either way.
    const output = await run(process.execPath, [cli, 'scan', '--format', 'json', ...corpus.files], {
      cwd: corpus.root,
      maxBuffer: 1 << 30,
    }).catch((error) => {
      if (typeof error.stdout === 'string' && error.stdout.startsWith('{')) return error;
      throw error;
    });
    const report = JSON.parse(output.stdout);
    delete report.stats.durationMs;
    writeFileSync(join(outDir, fileNameOf(corpus.name)), `${JSON.stringify(report, null, 1)}\n`);
    process.stderr.write(
      `compare-findings: ${corpus.name}: ${corpus.files.length} files, ${report.findings.length} findings, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  }
}

function findingKey(finding) {
  return [finding.path, finding.line, finding.column, finding.endLine, finding.endColumn, finding.ruleId].join(':');
}

function byKey(findings) {
  const map = new Map();
  for (const finding of findings) {
    const key = findingKey(finding);
    map.set(key, [...(map.get(key) ?? []), JSON.stringify(finding)]);
  }
  return map;
}

function diffReports(name, before, after) {
  const lines = [];
  const left = byKey(before.findings);
  const right = byKey(after.findings);
  for (const key of new Set([...left.keys(), ...right.keys()])) {
    const a = left.get(key) ?? [];
    const b = right.get(key) ?? [];
    for (const text of a) if (!b.includes(text)) lines.push(`- ${text}`);
    for (const text of b) if (!a.includes(text)) lines.push(`+ ${text}`);
  }
  for (const field of ['files', 'skipped', 'parseErrors', 'parseErrorFiles', 'ruleErrors', 'notes']) {
    const a = JSON.stringify(before.stats[field]);
    const b = JSON.stringify(after.stats[field]);
    if (a !== b) lines.push(`stats.${field}: ${a} → ${b}`);
  }
  process.stdout.write(
    `${name}: ${before.findings.length} findings before, ${after.findings.length} after, ${lines.length} difference(s)\n`,
  );
  for (const line of lines) process.stdout.write(`  ${line}\n`);
  return lines.length;
}

async function diff(beforeDir, afterDir) {
  let differences = 0;
  for (const corpus of await corpora()) {
    const file = fileNameOf(corpus.name);
    const read = (dir) => JSON.parse(readFileSync(join(dir, file), 'utf8'));
    differences += diffReports(corpus.name, read(beforeDir), read(afterDir));
  }
  return differences;
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'capture' && args[0]) {
    const cliFlag = args.indexOf('--cli');
    const cli = resolve(cliFlag === -1 ? join(repositoryRoot, 'dist/cli/main.js') : args[cliFlag + 1]);
    await capture(resolve(args[0]), cli);
  } else if (command === 'diff' && args[0] && args[1]) {
    process.exitCode = (await diff(resolve(args[0]), resolve(args[1]))) > 0 ? 1 : 0;
  } else {
    process.stderr.write(
      'usage: compare-findings.mjs capture OUT_DIR [--cli CLI] | compare-findings.mjs diff BEFORE_DIR AFTER_DIR\n',
    );
    process.exitCode = 2;
  }
}

main().catch((error) => {
  process.stderr.write(`compare-findings: ${error.stack ?? error.message}\n`);
  process.exitCode = 2;
});
