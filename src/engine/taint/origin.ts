import type { Confidence, TraceStep } from '../types.js';

/**
 * Where a value may come from, as far as the engine can tell.
 * - `source`: a flow from a known untrusted source (request data, argv, input()).
 * - `unknown`: not a constant, origin not known (a parameter of a plain function, a call result).
 * - `sanitized`: every path to it passes through a sanitizer for the sink family.
 * - `constant`: literals only.
 */
export type OriginKind = 'source' | 'unknown' | 'sanitized' | 'constant';

export interface Origin {
  kind: OriginKind;
  /** How sure the engine is that untrusted data reaches here. */
  confidence: Confidence;
  /** From the source to the value, ending at the queried node; empty unless `kind` is `source`. */
  trace: TraceStep[];
  /** A human description of the source, e.g. "request.args (Flask)". */
  source?: string;
  /**
   * The source is data another party sends over the network (a request, a Lambda event, a
   * queued job), not what the program's operator provides (arguments, input, environment).
   */
  remote?: boolean;
}

/** The sink families sanitizers are specific to. */
export type SinkFamily =
  | 'sql'
  | 'command'
  | 'code'
  | 'template'
  | 'ssrf'
  | 'path'
  | 'redirect'
  | 'deserialization'
  | 'xml'
  | 'header'
  | 'ldap'
  | 'regex'
  | 'log'
  | 'number'
  | 'xpath';
