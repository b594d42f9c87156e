import type { Confidence, SyntaxNode, TraceStep } from '../types.js';

/**
 * A trace as a persistent linked list, newest step first, so that extending a flow at
 * every hop shares the earlier steps instead of copying them.
 */
export interface TraceLink {
  step: TraceStep;
  previous: TraceLink | undefined;
  length: number;
}

/** Past this many steps a trace keeps its source and its end, and drops further middle hops. */
const MAX_TRACE_STEPS = 16;

export function stepAt(node: SyntaxNode, note: string): TraceStep {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1, note };
}

export function extendTrace(trace: TraceLink | undefined, step: TraceStep, force = false): TraceLink {
  if (force) return { step, previous: trace, length: (trace?.length ?? 0) + 1 };
  if (
    trace &&
    ((trace.step.line === step.line && trace.step.column === step.column) || trace.length >= MAX_TRACE_STEPS)
  )
    return trace;
  return { step, previous: trace, length: (trace?.length ?? 0) + 1 };
}

export function traceSteps(trace: TraceLink | undefined): TraceStep[] {
  const steps: TraceStep[] = [];
  for (let link = trace; link; link = link.previous) steps.push(link.step);
  return steps.reverse();
}

/** Data from an untrusted source, with how it got here. */
export interface SourceFlow {
  /** A human description of the source, e.g. "request.args (Flask)". */
  source: string;
  confidence: Confidence;
  /** Sent by another party over the network (see `SourceMatch.remote`). */
  remote: boolean;
  trace: TraceLink;
}

/**
 * A parameter of a function (not a known source) that reaches the value. Function summaries
 * map these onto a call's arguments; at a sink they mean "origin unknown".
 */
export interface ParameterFlow {
  functionId: number;
  index: number;
  /** From the parameter to here, starting at the parameter. */
  trace: TraceLink;
}

/** What may reach one expression, for one sink family. */
export interface TaintValue {
  sources: readonly SourceFlow[];
  parameters: ReadonlyMap<string, ParameterFlow>;
  /** Some part passed through a sanitizer for the family. */
  sanitized: boolean;
  /** Some part is neither a constant nor traceable to a source or parameter. */
  unknown: boolean;
}

/** Only a few flows are kept per value: enough for a trace, without quadratic growth. */
const MAX_SOURCE_FLOWS = 3;

const NO_PARAMETERS: ReadonlyMap<string, ParameterFlow> = new Map();

export const CLEAN: TaintValue = { sources: [], parameters: NO_PARAMETERS, sanitized: false, unknown: false };
export const UNKNOWN: TaintValue = { sources: [], parameters: NO_PARAMETERS, sanitized: false, unknown: true };
export const SANITIZED: TaintValue = { sources: [], parameters: NO_PARAMETERS, sanitized: true, unknown: false };

export function isClean(value: TaintValue): boolean {
  return value.sources.length === 0 && value.parameters.size === 0 && !value.sanitized && !value.unknown;
}

export function sourceValue(flow: SourceFlow): TaintValue {
  return { sources: [flow], parameters: NO_PARAMETERS, sanitized: false, unknown: false };
}

export function parameterValue(flow: ParameterFlow): TaintValue {
  return {
    sources: [],
    parameters: new Map([[`${flow.functionId}:${flow.index}`, flow]]),
    sanitized: false,
    unknown: false,
  };
}

const CONFIDENCE_ORDER: Record<Confidence, number> = { high: 0, medium: 1, low: 2 };

/** Stronger and shorter flows first: they make the best trace. */
function compareFlows(a: SourceFlow, b: SourceFlow): number {
  return CONFIDENCE_ORDER[a.confidence] - CONFIDENCE_ORDER[b.confidence] || a.trace.length - b.trace.length;
}

export function union(values: readonly TaintValue[]): TaintValue {
  const present = values.filter((v) => !isClean(v));
  if (present.length <= 1) return present[0] ?? CLEAN;
  const sources: SourceFlow[] = [];
  const parameters = new Map<string, ParameterFlow>();
  let sanitized = false;
  let unknown = false;
  for (const value of present) {
    sources.push(...value.sources);
    for (const [key, flow] of value.parameters) if (!parameters.has(key)) parameters.set(key, flow);
    sanitized ||= value.sanitized;
    unknown ||= value.unknown;
  }
  sources.sort(compareFlows);
  return { sources: sources.slice(0, MAX_SOURCE_FLOWS), parameters, sanitized, unknown };
}

/** Adds one hop to every flow of the value. */
export function through(value: TaintValue, step: TraceStep): TaintValue {
  if (value.sources.length === 0 && value.parameters.size === 0) return value;
  const parameters = new Map<string, ParameterFlow>();
  for (const [key, flow] of value.parameters) parameters.set(key, { ...flow, trace: extendTrace(flow.trace, step) });
  return {
    sources: value.sources.map((flow) => ({ ...flow, trace: extendTrace(flow.trace, step) })),
    parameters,
    sanitized: value.sanitized,
    unknown: value.unknown,
  };
}

/** The value after a sanitizer for the family: whatever was not constant is now safe. */
export function sanitize(value: TaintValue): TaintValue {
  return isClean(value) ? CLEAN : SANITIZED;
}
