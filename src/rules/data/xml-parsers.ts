/**
 * XML parsing entry points of the standard library and lxml (Bandit B313–B320), with where
 * the document is passed. defusedxml's functions of the same names are never listed.
 */
export interface XmlParserRow {
  /** Qualified name of the call. */
  call: string;
  library: 'stdlib' | 'lxml';
  /** Where the document (text, file or path) is passed; absent for parser factories. */
  position?: number;
  keyword?: string;
  bandit: string;
}

function rows(
  module: string,
  functions: Record<string, [number, string] | null>,
  library: XmlParserRow['library'],
  bandit: string,
): XmlParserRow[] {
  return Object.entries(functions).map(([name, input]) => ({
    call: `${module}.${name}`,
    library,
    ...(input ? { position: input[0], keyword: input[1] } : {}),
    bandit,
  }));
}

const ELEMENT_TREE_FUNCTIONS: Record<string, [number, string] | null> = {
  parse: [0, 'source'],
  iterparse: [0, 'source'],
  fromstring: [0, 'text'],
  fromstringlist: [0, 'sequence'],
  XML: [0, 'text'],
  XMLID: [0, 'text'],
  XMLParser: null,
  XMLPullParser: null,
};

const DOM_FUNCTIONS: Record<string, [number, string] | null> = { parse: [0, 'file'], parseString: [0, 'string'] };

export const STDLIB_XML_PARSERS: readonly XmlParserRow[] = [
  ...rows('xml.etree.ElementTree', ELEMENT_TREE_FUNCTIONS, 'stdlib', 'B314'),
  ...rows('xml.etree.cElementTree', ELEMENT_TREE_FUNCTIONS, 'stdlib', 'B313'),
  ...rows('xml.sax.expatreader', { create_parser: null }, 'stdlib', 'B315'),
  ...rows('xml.dom.expatbuilder', DOM_FUNCTIONS, 'stdlib', 'B316'),
  ...rows('xml.sax', { parse: [0, 'source'], parseString: [0, 'string'], make_parser: null }, 'stdlib', 'B317'),
  ...rows('xml.dom.minidom', DOM_FUNCTIONS, 'stdlib', 'B318'),
  ...rows('xml.dom.pulldom', { parse: [0, 'stream_or_string'], parseString: [0, 'string'] }, 'stdlib', 'B319'),
];

/** lxml functions that parse with the default parser unless a `parser` is passed. */
export const LXML_PARSE_FUNCTIONS: readonly XmlParserRow[] = rows(
  'lxml.etree',
  { parse: [0, 'source'], fromstring: [0, 'text'], XML: [0, 'text'], fromstringlist: [0, 'strings'] },
  'lxml',
  'B320',
);

/**
 * lxml calls that take `resolve_entities` themselves, whose default resolved external entities
 * before lxml 5. `iterparse` also takes the document.
 */
export const LXML_ENTITY_OPTION_CALLS: readonly XmlParserRow[] = [
  ...rows('lxml.etree', { XMLParser: null, ETCompatXMLParser: null, XMLPullParser: null }, 'lxml', 'B320'),
  ...rows('lxml.etree', { iterparse: [0, 'source'] }, 'lxml', 'B320'),
];

/** Modules that speak XML-RPC without defusedxml's protection (Bandit B411). */
export const XMLRPC_MODULES: ReadonlyMap<string, 'client' | 'server'> = new Map([
  ['xmlrpclib', 'client'],
  ['xmlrpc.client', 'client'],
  ['xmlrpc.server', 'server'],
  ['SimpleXMLRPCServer', 'server'],
  ['DocXMLRPCServer', 'server'],
]);
