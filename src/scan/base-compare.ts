import type { ChangeBlock, DiffLine, FileDiff } from '../diff/patch.js';
import { NAMED_SANITIZERS } from '../engine/taint/sanitizers.js';
import { isInTouchedSlice, sliceLines } from '../engine/taint/slice.js';
import { levelRank, type ChangeCause, type Finding } from '../engine/types.js';
import type { BaseComparisonReport, ComparisonMode } from '../report/base-comparison.js';

/** One version of a file as scanned: its findings (fingerprinted under the head path) and its text. */
export interface ScannedVersion {
  findings: readonly Finding[];
  text: string;
}

export interface FileComparisonInput {
  /** The path in the head (for a deleted file, its path in the base). */
  path: string;
  /** The base path of a renamed file. */
  basePath?: string;
  /** Undefined for a deleted file. */
  head?: ScannedVersion;
  /** A scanned base version, none (a new file), or why the base version could not be scanned. */
  base: ScannedVersion | { unavailable: string } | undefined;
  diff: FileDiff;
}

export interface FileComparison {
  path: string;
  basePath?: string;
  mode: ComparisonMode;
  /** Why the file fell back to touched lines. */
  fallbackReason?: string;
  /** Head findings that are not pre-existing, each with `introducedBy` set. */
  introduced: Finding[];
  /** Base findings gone from the head, at their base path and lines. */
  fixed: Finding[];
}

/**
 * Splits a changed file's findings into what the change introduced and what it fixed. A head
 * finding is pre-existing when the base version has a finding with the same fingerprint (rule,
 * enclosing scope, flagged tokens, occurrence index: see docs/FINGERPRINTS.md), wherever it sits.
 */
export function compareWithBase(input: FileComparisonInput): FileComparison {
  const { path, basePath, head, base, diff } = input;
  const located = basePath === undefined ? {} : { basePath };
  if (!head) {
    const fixed = base && 'findings' in base ? atBasePath(base.findings, basePath ?? path) : [];
    return { path, ...located, mode: 'deleted', introduced: [], fixed };
  }
  if (base === undefined) {
    return { path, ...located, mode: 'new-file', introduced: [...head.findings], fixed: [] };
  }
  if ('unavailable' in base) {
    const introduced = head.findings
      .filter((finding) => isInTouchedSlice(finding, diff.touchedLines))
      .map((finding) => withCause(finding, explainChange(finding, diff, head.text)));
    return { path, ...located, mode: 'touched-lines', fallbackReason: base.unavailable, introduced, fixed: [] };
  }
  const inBase = new Map(base.findings.map((finding) => [finding.fingerprint, finding]));
  const inHead = new Set(head.findings.map((finding) => finding.fingerprint));
  const introduced = onTheChangedCopy(
    head.findings.filter((finding) => !isPreExisting(finding, inBase.get(finding.fingerprint))),
    head.findings,
    diff,
    head.text,
  ).map((finding) => withCause(finding, explainChange(finding, diff, head.text)));
  const fixed = atBasePath(
    base.findings.filter((finding) => !inHead.has(finding.fingerprint)),
    basePath ?? path,
  );
  return { path, ...located, mode: 'base', introduced, fixed };
}

/**
 * A head finding the base already had, no worse than it was there. One whose severity or
 * confidence rose (a parameter at an old sink now comes from the request) is new.
 */
function isPreExisting(finding: Finding, inBase: Finding | undefined): boolean {
  return (
    inBase !== undefined &&
    levelRank(finding.severity) <= levelRank(inBase.severity) &&
    levelRank(finding.confidence) <= levelRank(inBase.confidence)
  );
}

/** The flagged code of a finding as written, with whitespace folded: identical copies compare equal. */
function codeAt(finding: Finding, lines: readonly string[]): string {
  const text =
    finding.line === finding.endLine
      ? (lines[finding.line - 1] ?? '').slice(finding.column - 1, finding.endColumn - 1)
      : [
          (lines[finding.line - 1] ?? '').slice(finding.column - 1),
          ...lines.slice(finding.line, finding.endLine - 1),
          (lines[finding.endLine - 1] ?? '').slice(0, finding.endColumn - 1),
        ].join('\n');
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Occurrence indices count identical findings in source order, so a copy added above an old one
 * takes the old one's index and the old one looks new. When a "new" finding sits on unchanged
 * lines and an identical matched one sits on changed lines, the changed copy is the new one.
 */
function onTheChangedCopy(
  unmatched: readonly Finding[],
  all: readonly Finding[],
  diff: FileDiff,
  headText: string,
): Finding[] {
  const lines = headText.split('\n');
  const isNew = new Set(unmatched);
  return unmatched.map((finding) => {
    if (isOnChangedLines(finding, diff)) return finding;
    const code = codeAt(finding, lines);
    const changedCopy = all.find(
      (other) =>
        !isNew.has(other) &&
        other.ruleId === finding.ruleId &&
        isOnChangedLines(other, diff) &&
        codeAt(other, lines) === code,
    );
    if (!changedCopy) return finding;
    isNew.add(changedCopy);
    isNew.delete(finding);
    return changedCopy;
  });
}

function withCause(finding: Finding, cause: ChangeCause | undefined): Finding {
  return cause ? { ...finding, introducedBy: cause } : finding;
}

function atBasePath(findings: readonly Finding[], basePath: string): Finding[] {
  return findings.map((finding) => ({ ...finding, path: basePath }));
}

/** Code quoted in a note: trimmed, and cut short so one line stays readable. */
function quoted(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 80 ? `${trimmed.slice(0, 77)}…` : trimmed;
}

function isOnChangedLines(finding: Finding, diff: FileDiff): boolean {
  for (let line = finding.line; line <= finding.endLine; line++) if (diff.touchedLines.has(line)) return true;
  return false;
}

/** The touched trace step nearest the finding: the PR brought a new source to an old sink. */
function traceCause(finding: Finding, diff: FileDiff): ChangeCause | undefined {
  const touched = (finding.trace ?? []).filter((step) => diff.touchedLines.has(step.line));
  if (touched.length === 0) return undefined;
  const nearest = touched.reduce((best, step) =>
    Math.abs(step.line - finding.line) < Math.abs(best.line - finding.line) ? step : best,
  );
  return {
    note: `line ${nearest.line}, a step of its data flow (${nearest.note}), was added or changed`,
    anchor: { side: 'RIGHT', line: nearest.line },
  };
}

/** Names too common to link a change to a finding. */
const COMMON_NAMES = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield self cls str int ' +
    'float bool bytes list dict set tuple len print range open object super'
  ).split(' '),
);

function namesIn(text: string): Set<string> {
  const withoutComment = text.replace(/#.*$/, '');
  return new Set([...withoutComment.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((match) => match[0]));
}

/** The names the finding rests on: those on its own lines and on every line of its trace. */
function findingNames(finding: Finding, headText: string): Set<string> {
  const lines = headText.split('\n');
  const names = new Set<string>();
  for (const line of sliceLines(finding))
    for (const name of namesIn(lines[line - 1] ?? '')) if (!COMMON_NAMES.has(name)) names.add(name);
  return names;
}

function mentions(line: DiffLine, names: ReadonlySet<string>): boolean {
  return [...namesIn(line.text)].some((name) => names.has(name));
}

const IMPORT = /^\s*(?:import\s+([\w.]+)|from\s+([\w.]+)\s+import\b)/;

function importedModule(text: string): string | undefined {
  const match = IMPORT.exec(text);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** What a removed line was, in the words a reviewer would use. */
function removedLineKind(text: string): string {
  if (importedModule(text)) return 'import';
  if (/^\s*(?:if|elif|assert)\b/.test(text) || /\b(?:abort|raise)\b/.test(text)) return 'check';
  const calls = [...text.matchAll(/([A-Za-z_][\w.]*)\s*\(/g)].map((match) => match[1]);
  if (calls.some((call) => NAMED_SANITIZERS.some((name) => name === call || name.endsWith(`.${call}`))))
    return 'sanitizer';
  return 'line';
}

function describeBlock(removed: readonly DiffLine[], added: readonly DiffLine[]): ChangeCause {
  const [before] = removed;
  const [after] = added;
  if (before && after) {
    const [oldModule, newModule] = [importedModule(before.text), importedModule(after.text)];
    const note =
      oldModule && newModule
        ? `line ${after.line} now imports \`${newModule}\` instead of \`${oldModule}\``
        : `line ${after.line} now reads \`${quoted(after.text)}\` (base line ${before.line}: \`${quoted(before.text)}\`)`;
    return { note, anchor: { side: 'RIGHT', line: after.line } };
  }
  if (before) {
    const kind = removedLineKind(before.text);
    const what = kind === 'line' ? `base line ${before.line}` : `the ${kind} on base line ${before.line}`;
    return {
      note: `${what} (\`${quoted(before.text)}\`) was removed`,
      anchor: { side: 'LEFT', line: before.line },
    };
  }
  return {
    note: `line ${after.line} (\`${quoted(after.text)}\`) was added`,
    anchor: { side: 'RIGHT', line: after.line },
  };
}

function distance(block: ChangeBlock, line: number): number {
  return Math.min(...[...block.removed, ...block.added].map((changed) => Math.abs(changed.line - line)));
}

/**
 * The change that made a finding on unchanged lines new: the change block nearest to it whose
 * lines mention a name the finding rests on (a removed sanitizer or guard, a swapped import, a
 * flag set elsewhere).
 */
function relatedChangeCause(finding: Finding, diff: FileDiff, headText: string): ChangeCause | undefined {
  const names = findingNames(finding, headText);
  const related = diff.blocks
    .map((block) => ({
      block,
      removed: block.removed.filter((line) => mentions(line, names)),
      added: block.added.filter((line) => mentions(line, names)),
    }))
    .filter(({ removed, added }) => removed.length > 0 || added.length > 0);
  if (related.length === 0) return undefined;
  const nearest = related.reduce((best, candidate) =>
    distance(candidate.block, finding.line) < distance(best.block, finding.line) ? candidate : best,
  );
  return describeBlock(nearest.removed, nearest.added);
}

/**
 * Why a head finding with no base counterpart is new, anchored on the changed line behind it
 * when there is one. None for a finding on lines the change added or changed: those say it.
 */
export function explainChange(finding: Finding, diff: FileDiff, headText: string): ChangeCause | undefined {
  if (isOnChangedLines(finding, diff)) return undefined;
  return (
    traceCause(finding, diff) ??
    relatedChangeCause(finding, diff, headText) ?? {
      note: 'its lines are unchanged and no changed line of this file mentions what it uses; the base version has no matching finding',
    }
  );
}

/** The comparisons as reports show them; `counted` applies the config's filters to the fixed findings. */
export function comparisonReport(
  comparisons: readonly FileComparison[],
  counted: (findings: Finding[]) => Finding[],
): BaseComparisonReport {
  return {
    files: comparisons.map(({ path, mode, fallbackReason }) => ({
      path,
      mode,
      ...(fallbackReason ? { fallbackReason } : {}),
    })),
    fixed: counted(comparisons.flatMap((comparison) => comparison.fixed.filter((finding) => !finding.suppressed))),
  };
}
