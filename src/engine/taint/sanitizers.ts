import type { SinkFamily } from './origin.js';

const ALL_FAMILIES: readonly SinkFamily[] = [
  'sql',
  'command',
  'code',
  'template',
  'ssrf',
  'path',
  'redirect',
  'deserialization',
  'xml',
  'header',
  'ldap',
  'regex',
  'log',
  'number',
  'xpath',
];

/**
 * Calls whose result is safe for the listed sink families, by qualified name. Casts to
 * numbers, booleans and UUIDs leave nothing an attacker can shape, so they clear every family.
 */
const SANITIZER_ROWS: readonly [string, readonly SinkFamily[]][] = [
  ['int', ALL_FAMILIES],
  ['float', ALL_FAMILIES],
  ['bool', ALL_FAMILIES],
  ['len', ALL_FAMILIES],
  ['abs', ALL_FAMILIES],
  ['round', ALL_FAMILIES],
  ['ord', ALL_FAMILIES],
  ['isinstance', ALL_FAMILIES],
  ['uuid.UUID', ALL_FAMILIES],
  ['decimal.Decimal', ALL_FAMILIES],
  // Dates, timestamps and MIME types drawn from a fixed table carry nothing of their input.
  ['django.utils.http.http_date', ALL_FAMILIES],
  ['email.utils.formatdate', ALL_FAMILIES],
  ['calendar.timegm', ALL_FAMILIES],
  ['time.mktime', ALL_FAMILIES],
  ['mimetypes.guess_type', ALL_FAMILIES],
  ['shlex.quote', ['command']],
  ['shlex.join', ['command']],
  ['pipes.quote', ['command']],
  ['markupsafe.escape', ['template']],
  ['flask.escape', ['template']],
  ['jinja2.escape', ['template']],
  ['html.escape', ['template']],
  ['cgi.escape', ['template']],
  ['bleach.clean', ['template']],
  ['django.utils.html.escape', ['template']],
  ['django.utils.html.conditional_escape', ['template']],
  // Both escape every value; a format string built from data is unsafe-markup's own finding.
  ['django.utils.html.format_html', ['template']],
  ['django.utils.html.format_html_join', ['template']],
  ['django.utils.html.strip_tags', ['template']],
  ['os.path.basename', ['path', 'command']],
  ['posixpath.basename', ['path', 'command']],
  ['werkzeug.utils.secure_filename', ['path', 'command', 'header']],
  ['werkzeug.secure_filename', ['path', 'command', 'header']],
  ['django.utils.text.get_valid_filename', ['path', 'command']],
  // Raise instead of returning a path outside the base directory.
  ['django.utils._os.safe_join', ['path']],
  ['werkzeug.utils.safe_join', ['path']],
  ['werkzeug.security.safe_join', ['path']],
  ['flask.safe_join', ['path']],
  // Percent-encoding turns `:` and `//` into inert text and removes CR/LF, but keeps `/` and
  // `..` by default: enough for URLs and headers, not for file paths.
  ['urllib.parse.quote', ['redirect', 'ssrf', 'header']],
  ['urllib.parse.quote_plus', ['redirect', 'ssrf', 'header']],
  ['urllib.parse.urlencode', ['redirect', 'ssrf', 'header']],
  // URLs built by the router put the input into a path segment or the query string.
  ['flask.url_for', ['redirect', 'ssrf']],
  ['django.urls.reverse', ['redirect', 'ssrf']],
  ['ldap.filter.escape_filter_chars', ['ldap']],
  ['ldap.dn.escape_dn_chars', ['ldap']],
  ['ldap3.utils.conv.escape_filter_chars', ['ldap']],
  ['ldap3.utils.dn.escape_rdn', ['ldap']],
  ['defusedxml.lxml.fromstring', ['xml']],
  ['re.escape', ['regex']],
  ['regex.escape', ['regex']],
  // A repr or a JSON string shows line breaks as `\n`: one record stays one line.
  ['repr', ['log']],
  ['json.dumps', ['log']],
];

const SANITIZERS = new Map<string, ReadonlySet<SinkFamily>>(
  SANITIZER_ROWS.map(([name, families]) => [name, new Set(families)]),
);

export function isSanitizer(qualifiedName: string, family: SinkFamily): boolean {
  return SANITIZERS.get(qualifiedName)?.has(family) ?? false;
}

/** Sanitizers that only some sink families trust (casts like `int` are left out): they make a line read as one. */
export const NAMED_SANITIZERS: readonly string[] = SANITIZER_ROWS.filter(
  ([, families]) => families !== ALL_FAMILIES,
).map(([name]) => name);

/**
 * Conditions that validate a name (`if x in ALLOWED`, `if re.fullmatch(P, x)`) make it safe
 * for these families inside the guarded code.
 */
export const ALLOW_LIST_FAMILIES: ReadonlySet<SinkFamily> = new Set(ALL_FAMILIES);

/** `x.startswith(BASE)` only proves something about paths and hosts. */
export const PREFIX_CHECK_FAMILIES: ReadonlySet<SinkFamily> = new Set<SinkFamily>(['path', 'ssrf']);

/** Calls that vouch for a redirect target. */
export const SAFE_URL_CHECKS: ReadonlySet<string> = new Set([
  'django.utils.http.url_has_allowed_host_and_scheme',
  'django.utils.http.is_safe_url',
]);

/** String methods that only answer yes or no about their receiver: a validating guard. */
export const VALIDATING_METHODS: ReadonlySet<string> = new Set([
  'isdigit',
  'isdecimal',
  'isnumeric',
  'isalnum',
  'isalpha',
  'isidentifier',
]);

/**
 * Database lookups: `get_object_or_404(Page, pk=pk)`, `Page.objects.get(slug=slug)`. The input
 * chooses which row comes back, not what the row holds, so the result is of unknown origin.
 */
export const ROW_LOOKUPS: ReadonlySet<string> = new Set([
  'django.shortcuts.get_object_or_404',
  'django.shortcuts.get_list_or_404',
]);
const MANAGER_ATTRIBUTES = new Set(['objects', '_default_manager', '_base_manager']);
const MANAGER_LOOKUPS = new Set(['get', 'filter', 'exclude', 'get_or_create', 'first', 'last', 'in_bulk']);

/** `Model.objects.get(…)` and `content_type.get_object_for_this_type(…)`. */
export function isRowLookupMethod(method: string, receiver: string | undefined): boolean {
  if (method === 'get_object_for_this_type') return true;
  return MANAGER_LOOKUPS.has(method) && receiver !== undefined && MANAGER_ATTRIBUTES.has(receiver);
}
