import type { BanditDecision } from './bandit-checks.js';

/**
 * Bandit checks in the crypto, deserialization and XML areas that Warden's rules cover only in
 * part, or deliberately not at all, with the reason shown in the rules index.
 */

const STDLIB_XML_CALLS_REASON =
  'Reported by `xml-external-entities` at the calls that parse a document, graded by where the document comes from; literal documents, files whose path is written in the code and parser factories without input (`XMLParser()`, `make_parser()`) are not reported, since Python 3.7.1+ never fetches external entities by default.';

const XML_IMPORT_REASON =
  'Importing an XML module is not a vulnerability. `xml-external-entities` reports the parsing calls of the module instead, where the document and the parser options can be judged.';

export const banditDecisions: readonly BanditDecision[] = [
  {
    code: 'B301',
    decision: 'narrower',
    reason:
      "Reported by `unsafe-deserialization`, except for literal payloads (the author's own bytes) and `jsonpickle.unpickler.Unpickler().restore()`, whose input is not passed to the constructor.",
  },
  {
    code: 'B324',
    decision: 'narrower',
    reason:
      'Reported by `insecure-hash-function`, except for digests of values named like passwords, which `weak-password-hash` reports with advice to use a password-hashing function.',
  },
  ...['B313', 'B314', 'B315', 'B316', 'B317', 'B318', 'B319'].map((code): BanditDecision => ({
    code,
    decision: 'narrower',
    reason: STDLIB_XML_CALLS_REASON,
  })),
  {
    code: 'B320',
    decision: 'narrower',
    reason:
      'lxml is judged by its entity options: `xml-external-entities` reports parsers created with `resolve_entities=True` or without the option, and parse calls that use the default parser on non-literal documents. `RestrictedElement`, `GlobalParserTLS`, `getDefaultParser` and `check_docinfo` are not reported: they parse nothing.',
  },
  {
    code: 'B403',
    decision: 'not-reported',
    reason:
      'Importing pickle, dill or shelve is not a vulnerability; `unsafe-deserialization` reports the calls that load data, with a confidence that follows where the data comes from.',
  },
  {
    code: 'B404',
    decision: 'not-reported',
    reason:
      'subprocess is the safe way to run programs from Python; an import says nothing. The injection rules report calls that pass a shell or data-built commands.',
  },
  ...['B405', 'B406', 'B407', 'B408', 'B409'].map((code): BanditDecision => ({
    code,
    decision: 'narrower',
    reason: XML_IMPORT_REASON,
  })),
  {
    code: 'B410',
    decision: 'not-reported',
    reason:
      'Bandit and Ruff dropped the lxml import check; `xml-external-entities` judges lxml parsers by their `resolve_entities` option instead.',
  },
  {
    code: 'B412',
    decision: 'not-reported',
    reason:
      "httpoxy needs a client that takes its proxy from the `HTTP_PROXY` environment variable inside a CGI request; Python's urllib (and requests, which uses it) ignores that variable when `REQUEST_METHOD` is set since the 2016 fix for CVE-2016-1000110, so importing `CGIHandler` is not a finding on supported Pythons.",
  },
  {
    code: 'B414',
    decision: 'not-reported',
    reason:
      "Bandit withdrew this check: pycryptodome is maintained. Its weak algorithms and modes are reported by `weak-cipher`, `cipher-ecb-mode`, `insecure-hash-function` and `weak-key-size` like any other library's.",
  },
  {
    code: 'B415',
    decision: 'not-reported',
    reason:
      "IPMI's weaknesses (RAKP hash disclosure, cipher suite 0, default credentials) are properties of how a BMC is configured and exposed, not of the Python client that talks to it; importing pyghmi says nothing about them.",
  },
  {
    code: 'B506',
    decision: 'narrower',
    reason:
      'Reported by `yaml-unsafe-load`, except for literal documents and for loaders passed through variables or imported from other modules, which cannot be classified; local subclasses are classified by their PyYAML base.',
  },
];
