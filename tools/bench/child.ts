/**
 * One benchmark run in its own process: `node build/tools/bench/child.js SUBJECT FILE_LIST`.
 * Prints one JSON line: files, bytes, findings, scan time and peak RSS. The parent measures the
 * whole process's wall time around it.
 */
import { readFileSync } from 'node:fs';
import { setImmediate as turnEventLoop } from 'node:timers/promises';
import type Parser from 'tree-sitter';
import { scanBytes } from '../../src/engine/index.js';
import { parsePython } from '../../src/engine/parser.js';
import { decodePythonSource } from '../../src/engine/source.js';
import { walkTree } from '../../src/engine/walk.js';
import { allRules } from '../../src/rules/index.js';

export type Subject = 'warden' | 'warden-no-taint' | 'ruff' | 'floor';

export interface ChildResult {
  subject: Subject;
  files: number;
  bytes: number;
  findings: number;
  /** Syntax nodes walked (floor only). */
  nodes: number;
  scanMs: number;
  maxRssMiB: number;
}

const MAX_FILE_BYTES = 4 * 1024 * 1024;
const PARSE_TIMEOUT_MS = 10_000;
/** Tree-sitter's binding frees trees only when the event loop turns (FACTS.md): yield this often. */
const YIELD_EVERY = 8;

type FileScanner = (path: string, bytes: Buffer) => { findings: number; nodes: number };

/**
 * Parse plus one full walk that reads every node's type, as a dispatching engine must: the
 * least any tree-sitter engine can do. Uses the engine's own walker. Returns the nodes walked.
 */
function walkAll(tree: Parser.Tree): number {
  let nodes = 0;
  const types = new Set<string>();
  walkTree(tree, {
    enter(cursor) {
      nodes++;
      types.add(cursor.nodeType);
    },
  });
  return nodes;
}

async function scannerFor(subject: Subject): Promise<FileScanner> {
  switch (subject) {
    case 'warden':
    case 'warden-no-taint': {
      const options = {
        rules: allRules,
        maxFileBytes: MAX_FILE_BYTES,
        parseTimeoutMs: PARSE_TIMEOUT_MS,
        taint: subject === 'warden',
      };
      return (path, bytes) => ({ findings: scanBytes(path, bytes, options).findings.length, nodes: 0 });
    }
    case 'floor':
      return (_path, bytes) => {
        const decoded = decodePythonSource(bytes);
        if (decoded.kind !== 'text') return { findings: 0, nodes: 0 };
        return { findings: 0, nodes: walkAll(parsePython(decoded.text, PARSE_TIMEOUT_MS)) };
      };
    case 'ruff': {
      const { default: ruff } = await import('@astral-sh/ruff-wasm-nodejs');
      const workspace = new ruff.Workspace({ lint: { select: ['S'] } }, ruff.PositionEncoding.Utf16);
      return (_path, bytes) => {
        const decoded = decodePythonSource(bytes);
        if (decoded.kind !== 'text') return { findings: 0, nodes: 0 };
        const diagnostics = workspace.check(decoded.text) as { code: string | null }[];
        return { findings: diagnostics.filter((d) => d.code && d.code !== 'invalid-syntax').length, nodes: 0 };
      };
    }
  }
}

async function main(): Promise<void> {
  const [subject, listFile] = process.argv.slice(2) as [Subject, string];
  if (!subject || !listFile) throw new Error('usage: child.js SUBJECT FILE_LIST');
  const files = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
  const scan = await scannerFor(subject);
  const started = performance.now();
  const result: ChildResult = { subject, files: 0, bytes: 0, findings: 0, nodes: 0, scanMs: 0, maxRssMiB: 0 };
  for (const [index, path] of files.entries()) {
    const bytes = readFileSync(path);
    const counts = scan(path, bytes);
    result.files++;
    result.bytes += bytes.length;
    result.findings += counts.findings;
    result.nodes += counts.nodes;
    if (index % YIELD_EVERY === YIELD_EVERY - 1) await turnEventLoop();
  }
  result.scanMs = performance.now() - started;
  result.maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench child: ${error.message}\n`);
  process.exit(2);
});
