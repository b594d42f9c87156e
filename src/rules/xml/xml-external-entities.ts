import type { RuleContext } from '../../engine/context.js';
import type { Severity, SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import {
  LXML_ENTITY_OPTION_CALLS,
  LXML_PARSE_FUNCTIONS,
  STDLIB_XML_PARSERS,
  XMLRPC_MODULES,
  type XmlParserRow,
} from '../data/xml-parsers.js';
import { importedModulePaths } from '../support/crypto-imported-modules.js';
import { readsFixedFile } from '../support/deserialization-fixed-file.js';
import { fileCalls } from '../support/xml-file-calls.js';

type MessageId =
  | 'saxExternalEntities'
  | 'lxmlResolveEntities'
  | 'lxmlDefaultParser'
  | 'lxmlParserDefaults'
  | 'stdlibParser'
  | 'xmlrpc';
type Context = RuleContext<MessageId>;

const STDLIB = new Map(STDLIB_XML_PARSERS.map((row) => [row.call, row]));
const LXML_PARSE = new Map(LXML_PARSE_FUNCTIONS.map((row) => [row.call, row]));
const LXML_ENTITY_OPTION = new Map(LXML_ENTITY_OPTION_CALLS.map((row) => [row.call, row]));

/** SAX features that make the parser fetch external entities, by constant and by URI. */
const SAX_EXTERNAL_FEATURES = new Set([
  'xml.sax.handler.feature_external_ges',
  'xml.sax.handler.feature_external_pes',
  'http://xml.org/sax/features/external-general-entities',
  'http://xml.org/sax/features/external-parameter-entities',
]);

/** Calls `defusedxml.defuse_stdlib()` protects; lxml is not among them. */
const DEFUSE_STDLIB = 'defusedxml.defuse_stdlib';
const XMLRPC_MONKEY_PATCH = 'defusedxml.xmlrpc.monkey_patch';

/**
 * Where the parsed document comes from, or undefined when it is the author's own (a literal,
 * a fixed path) or has been vetted, in which case nothing is reported.
 */
function documentOrigin(call: SyntaxNode, row: XmlParserRow, context: Context) {
  const document = row.position === undefined ? undefined : context.argument(call, row.position, row.keyword);
  if (!document) return undefined;
  const origin = context.origin(document, 'xml');
  if (
    origin.kind === 'constant' ||
    origin.kind === 'sanitized' ||
    (origin.kind === 'unknown' && readsFixedFile(document, context))
  )
    return undefined;
  return origin;
}

/** How a parser whose danger depends on the document is reported. */
interface OriginGrading {
  messageId: 'stdlibParser' | 'lxmlDefaultParser';
  /** The severity when the document comes from a known untrusted source. */
  untrustedSeverity: Severity;
}

const LXML_DEFAULT_PARSER: OriginGrading = { messageId: 'lxmlDefaultParser', untrustedSeverity: 'high' };

/**
 * Parsers whose danger depends on the document, graded by where it comes from: a known
 * untrusted source (request data) gets `untrustedSeverity`, weaker sources (file contents, the
 * environment) and unknown origins low severity; every source comes with its trace.
 */
function reportByOrigin(
  call: SyntaxNode,
  fn: string,
  row: XmlParserRow,
  context: Context,
  { messageId, untrustedSeverity }: OriginGrading,
): void {
  const origin = documentOrigin(call, row, context);
  if (!origin) return;
  if (origin.kind === 'source') {
    const provenance = `from ${origin.source ?? 'untrusted input'}`;
    // Whether a parser is still vulnerable depends on library versions: never more than medium confidence.
    const strong = origin.confidence === 'high';
    context.report({
      node: call,
      messageId,
      data: { fn, provenance },
      severity: strong ? untrustedSeverity : 'low',
      confidence: strong ? 'medium' : 'low',
      trace: origin.trace,
    });
  } else {
    context.report({
      node: call,
      messageId,
      data: { fn, provenance: 'of unknown origin' },
      severity: 'low',
      confidence: 'low',
    });
  }
}

/** `etree.XMLParser(...)` / `etree.iterparse(...)`: judged by their `resolve_entities` option. */
function checkLxmlEntityOption(call: SyntaxNode, fn: string, row: XmlParserRow, context: Context): void {
  const option = context.keywordArgument(call, 'resolve_entities');
  if (option) {
    const value = context.literalValue(option);
    if (value === true) context.report({ node: call, messageId: 'lxmlResolveEntities', data: { fn } });
    return;
  }
  if (context.hasUnpackedArguments(call)) return;
  if (row.position !== undefined) reportByOrigin(call, fn, row, context, LXML_DEFAULT_PARSER);
  else
    context.report({
      node: call,
      messageId: 'lxmlParserDefaults',
      data: { fn },
      severity: 'low',
      confidence: 'medium',
    });
}

/** `parser.setFeature(feature_external_ges, True)` on a SAX reader. */
function checkSaxFeature(call: SyntaxNode, context: Context): void {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'setFeature') return;
  const feature = context.argument(call, 0, 'name');
  const featureName = context.qualifiedName(feature) ?? context.stringValue(feature);
  if (!featureName || !SAX_EXTERNAL_FEATURES.has(featureName)) return;
  const state = context.literalValue(context.argument(call, 1, 'state'));
  if (state === true || state === 1)
    context.report({
      node: call,
      messageId: 'saxExternalEntities',
      data: { feature: featureName.split(/[./]/).at(-1)! },
    });
}

function checkXmlrpcImport(statement: SyntaxNode, context: Context): void {
  const module = importedModulePaths(statement).find((path) => XMLRPC_MODULES.has(path));
  if (!module || fileCalls(context, statement, XMLRPC_MONKEY_PATCH)) return;
  const side = XMLRPC_MODULES.get(module)!;
  context.report({
    node: statement,
    messageId: 'xmlrpc',
    data: { module },
    severity: side === 'server' ? 'medium' : 'low',
    confidence: 'medium',
  });
}

export default createRule({
  id: 'xml-external-entities',
  meta: {
    title: 'XML parsed without protection against entity attacks',
    category: 'xml',
    cwe: [611, 776],
    severity: 'high',
    confidence: 'high',
    equivalents: {
      bandit: [
        'B313',
        'B314',
        'B315',
        'B316',
        'B317',
        'B318',
        'B319',
        'B320',
        'B405',
        'B406',
        'B407',
        'B408',
        'B409',
        'B411',
      ],
      ruff: ['S313', 'S314', 'S315', 'S316', 'S317', 'S318', 'S319', 'S405', 'S406', 'S407', 'S408', 'S409', 'S411'],
    },
    messages: {
      saxExternalEntities:
        'The SAX parser is told to fetch external entities (`{{feature}}`): a document can read local files or reach internal URLs (XXE)',
      lxmlResolveEntities:
        '`{{fn}}` is created with `resolve_entities=True`: external entities in a document can read local files (XXE)',
      lxmlDefaultParser:
        "`{{fn}}` parses XML {{provenance}} with lxml's default parser, which resolves external entities before lxml 5 (XXE); pass a parser with `resolve_entities=False` or use defusedxml",
      lxmlParserDefaults:
        '`{{fn}}` creates a parser without `resolve_entities=False`; before lxml 5 it resolves external entities (XXE)',
      stdlibParser:
        '`{{fn}}` parses XML {{provenance}}; the standard library parsers are only protected against entity-expansion bombs by a recent expat, prefer defusedxml',
      xmlrpc:
        "`{{module}}` handles XML-RPC without defusedxml's limits on entity expansion and gzip bombs; call `defusedxml.xmlrpc.monkey_patch()`",
    },
    docs: {
      why: 'XML can declare entities. External entities make a parser read a file or fetch a URL and insert it into the document (XXE: `/etc/passwd`, cloud metadata endpoints, internal services), and nested internal entities expand exponentially ("billion laughs"), exhausting memory from a few hundred bytes. lxml resolved external entities by default until version 5.0. The standard library no longer fetches external entities (ElementTree never did; SAX and pulldom stopped in Python 3.7.1) but relies on expat 2.4.1 or later to cap entity expansion, and explicitly enabling `feature_external_ges` brings XXE back.',
      example:
        'from lxml import etree\n\ndef parse_invoice(request):\n    parser = etree.XMLParser(resolve_entities=True)\n    return etree.fromstring(request.body, parser)',
      fix: 'Parse documents from outside with defusedxml (`defusedxml.ElementTree`, `defusedxml.minidom`, `defusedxml.sax`, `defusedxml.lxml`), which refuses entity declarations, or configure lxml explicitly: `resolve_entities=False, no_network=True`. Never enable SAX external-entity features for untrusted input. For XML-RPC call `defusedxml.xmlrpc.monkey_patch()` at start-up.\n\n```python\nfrom lxml import etree\n\nSAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)\n\ndef parse_invoice(request):\n    return etree.fromstring(request.body, SAFE_PARSER)\n```',
      knownProblems:
        "Severity is graded by what each parser can still do today. Enabling external entities (`resolve_entities=True`, SAX `feature_external_ges`) is high severity. lxml's default parser is high severity for data from a known untrusted source and low otherwise, since lxml 5 no longer resolves external entities by default; a parser created without `resolve_entities` is low severity. Standard-library parsers are medium severity for untrusted data and low otherwise: on Python 3.7.1+ with expat 2.4.1+ (check `pyexpat.EXPAT_VERSION`) the residual risk is resource exhaustion from oversized documents. Literal documents and files whose path is written in the code are not reported, nor are parser factories without input (`ElementTree.XMLParser()`, `xml.sax.make_parser()`): Warden judges the call that feeds them or the features set on them. A call to `defusedxml.defuse_stdlib()` anywhere in the file silences the standard-library findings. Imports of XML modules alone are not reported (Bandit B405-B410), except XML-RPC modules (B411), whose servers and clients parse XML internally.",
      references: [
        'https://docs.python.org/3/library/xml.html#xml-vulnerabilities',
        'https://pypi.org/project/defusedxml/',
        'https://lxml.de/5.0/changes-5.0.0.html',
        'https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html#python',
        'https://cwe.mitre.org/data/definitions/611.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = context.calleeName(node);
      const stdlib = fn && STDLIB.get(fn);
      if (fn && stdlib) {
        if (!fileCalls(context, node, DEFUSE_STDLIB))
          reportByOrigin(node, fn, stdlib, context, { messageId: 'stdlibParser', untrustedSeverity: 'medium' });
        return;
      }
      const lxmlOption = fn && LXML_ENTITY_OPTION.get(fn);
      if (fn && lxmlOption) {
        checkLxmlEntityOption(node, fn, lxmlOption, context);
        return;
      }
      const lxmlParse = fn && LXML_PARSE.get(fn);
      if (fn && lxmlParse) {
        // An explicit parser is judged where it is created.
        if (!context.argument(node, 1, 'parser') && !context.hasUnpackedArguments(node))
          reportByOrigin(node, fn, lxmlParse, context, LXML_DEFAULT_PARSER);
        return;
      }
      checkSaxFeature(node, context);
    },
    import_statement: (node, context) => checkXmlrpcImport(node, context),
    import_from_statement: (node, context) => checkXmlrpcImport(node, context),
  },
  tests: {
    valid: [
      'import defusedxml.ElementTree as ET\nET.fromstring(body)',
      'from lxml import etree\nparser = etree.XMLParser(resolve_entities=False)\netree.fromstring(body, parser)',
      'import xml.etree.ElementTree as ET\nET.parse("settings.xml")',
      'import xml.etree.ElementTree as ET\nET.fromstring("<a/>")',
      'import defusedxml\nimport xml.etree.ElementTree as ET\ndefusedxml.defuse_stdlib()\nET.fromstring(body)',
      'import xmlrpc.client\nimport defusedxml.xmlrpc\ndefusedxml.xmlrpc.monkey_patch()',
      'import xml.sax\nfrom xml.sax.handler import feature_external_ges\nparser = xml.sax.make_parser()\nparser.setFeature(feature_external_ges, False)',
      'from lxml import etree\netree.fromstring(body, parser=SAFE_PARSER)',
      'import xml.etree.ElementTree as ET\nwith open("config.xml", "rb") as f:\n    ET.parse(f)',
    ],
    invalid: [
      {
        code: 'from lxml import etree\nfrom flask import request\ndef invoice():\n    return etree.fromstring(request.data)',
        errors: [
          {
            messageId: 'lxmlDefaultParser',
            line: 4,
            severity: 'high',
            confidence: 'medium',
            message: 'from request.data (Flask)',
          },
        ],
      },
      {
        code: 'import xml.etree.ElementTree as ET\nfrom flask import request\ndef invoice():\n    body = request.get_data()\n    return ET.fromstring(body)',
        errors: [
          { messageId: 'stdlibParser', line: 5, severity: 'medium', message: 'from request.get_data() (Flask)' },
        ],
      },
      {
        code: 'from lxml import etree\nparser = etree.XMLParser(resolve_entities=True)\nroot = etree.fromstring(body, parser)',
        errors: [{ messageId: 'lxmlResolveEntities', line: 2, severity: 'high', confidence: 'high' }],
      },
      {
        code: 'import lxml.etree\nlxml.etree.iterparse(source, resolve_entities=True)',
        errors: [{ messageId: 'lxmlResolveEntities', message: '`lxml.etree.iterparse`' }],
      },
      {
        code: 'from lxml import etree\ntree = etree.parse(upload)',
        errors: [{ messageId: 'lxmlDefaultParser', severity: 'low', confidence: 'low', message: 'of unknown origin' }],
      },
      {
        code: 'from lxml.etree import XMLParser\nparser = XMLParser(remove_blank_text=True)',
        errors: [{ messageId: 'lxmlParserDefaults', severity: 'low', confidence: 'medium' }],
      },
      {
        code: 'import xml.sax\nfrom xml.sax.handler import feature_external_ges\nparser = xml.sax.make_parser()\nparser.setFeature(feature_external_ges, True)',
        errors: [{ messageId: 'saxExternalEntities', line: 4, severity: 'high', message: '`feature_external_ges`' }],
      },
      {
        code: 'import xml.etree.ElementTree as ET\ndef load(data):\n    return ET.fromstring(data)',
        errors: [{ messageId: 'stdlibParser', line: 3, severity: 'low', confidence: 'low' }],
      },
      {
        code: 'from xml.dom import minidom\nminidom.parseString(payload)',
        errors: [{ messageId: 'stdlibParser', message: '`xml.dom.minidom.parseString`' }],
      },
      {
        code: 'import xml.etree.cElementTree as cET\nfor event, elem in cET.iterparse(stream):\n    pass',
        errors: [{ messageId: 'stdlibParser' }],
      },
      {
        code: 'from xmlrpc.server import SimpleXMLRPCServer\nserver = SimpleXMLRPCServer(("localhost", 8000))',
        errors: [{ messageId: 'xmlrpc', line: 1, severity: 'medium' }],
      },
      { code: 'import xmlrpc.client', errors: [{ messageId: 'xmlrpc', severity: 'low', message: '`xmlrpc.client`' }] },
    ],
  },
});
