/**
 * Ruff's flake8-bandit (`S`) rules: code and the kebab-case rule name that Ruff reports
 * (the wasm build reports names, not codes) and that its documentation URLs use.
 * Taken from Ruff's `crates/ruff_linter/src/codes.rs`.
 */
export const ruffBanditRules: ReadonlyMap<string, string> = new Map([
  ['S101', 'assert'],
  ['S102', 'exec-builtin'],
  ['S103', 'bad-file-permissions'],
  ['S104', 'hardcoded-bind-all-interfaces'],
  ['S105', 'hardcoded-password-string'],
  ['S106', 'hardcoded-password-func-arg'],
  ['S107', 'hardcoded-password-default'],
  ['S108', 'hardcoded-temp-file'],
  ['S110', 'try-except-pass'],
  ['S112', 'try-except-continue'],
  ['S113', 'request-without-timeout'],
  ['S201', 'flask-debug-true'],
  ['S202', 'tarfile-unsafe-members'],
  ['S301', 'suspicious-pickle-usage'],
  ['S302', 'suspicious-marshal-usage'],
  ['S303', 'suspicious-insecure-hash-usage'],
  ['S304', 'suspicious-insecure-cipher-usage'],
  ['S305', 'suspicious-insecure-cipher-mode-usage'],
  ['S306', 'suspicious-mktemp-usage'],
  ['S307', 'suspicious-eval-usage'],
  ['S308', 'suspicious-mark-safe-usage'],
  ['S310', 'suspicious-url-open-usage'],
  ['S311', 'suspicious-non-cryptographic-random-usage'],
  ['S312', 'suspicious-telnet-usage'],
  ['S313', 'suspicious-xmlc-element-tree-usage'],
  ['S314', 'suspicious-xml-element-tree-usage'],
  ['S315', 'suspicious-xml-expat-reader-usage'],
  ['S316', 'suspicious-xml-expat-builder-usage'],
  ['S317', 'suspicious-xml-sax-usage'],
  ['S318', 'suspicious-xml-mini-dom-usage'],
  ['S319', 'suspicious-xml-pull-dom-usage'],
  ['S320', 'suspicious-xmle-tree-usage'],
  ['S321', 'suspicious-ftp-lib-usage'],
  ['S323', 'suspicious-unverified-context-usage'],
  ['S324', 'hashlib-insecure-hash-function'],
  ['S401', 'suspicious-telnetlib-import'],
  ['S402', 'suspicious-ftplib-import'],
  ['S403', 'suspicious-pickle-import'],
  ['S404', 'suspicious-subprocess-import'],
  ['S405', 'suspicious-xml-etree-import'],
  ['S406', 'suspicious-xml-sax-import'],
  ['S407', 'suspicious-xml-expat-import'],
  ['S408', 'suspicious-xml-minidom-import'],
  ['S409', 'suspicious-xml-pulldom-import'],
  ['S410', 'suspicious-lxml-import'],
  ['S411', 'suspicious-xmlrpc-import'],
  ['S412', 'suspicious-httpoxy-import'],
  ['S413', 'suspicious-pycrypto-import'],
  ['S415', 'suspicious-pyghmi-import'],
  ['S501', 'request-with-no-cert-validation'],
  ['S502', 'ssl-insecure-version'],
  ['S503', 'ssl-with-bad-defaults'],
  ['S504', 'ssl-with-no-version'],
  ['S505', 'weak-cryptographic-key'],
  ['S506', 'unsafe-yaml-load'],
  ['S507', 'ssh-no-host-key-verification'],
  ['S508', 'snmp-insecure-version'],
  ['S509', 'snmp-weak-cryptography'],
  ['S601', 'paramiko-call'],
  ['S602', 'subprocess-popen-with-shell-equals-true'],
  ['S603', 'subprocess-without-shell-equals-true'],
  ['S604', 'call-with-shell-equals-true'],
  ['S605', 'start-process-with-a-shell'],
  ['S606', 'start-process-with-no-shell'],
  ['S607', 'start-process-with-partial-path'],
  ['S608', 'hardcoded-sql-expression'],
  ['S609', 'unix-command-wildcard-injection'],
  ['S610', 'django-extra'],
  ['S611', 'django-raw-sql'],
  ['S612', 'logging-config-insecure-listen'],
  ['S701', 'jinja2-autoescape-false'],
  ['S702', 'mako-templates'],
  ['S704', 'unsafe-markup-use'],
]);

const codesByName = new Map([...ruffBanditRules].map(([code, name]) => [name, code]));

/** The `S` code of a Ruff rule name such as `subprocess-popen-with-shell-equals-true`. */
export function ruffCodeOf(ruleName: string): string | undefined {
  return codesByName.get(ruleName);
}

export function ruffRuleUrl(code: string): string | undefined {
  const name = ruffBanditRules.get(code);
  return name ? `https://docs.astral.sh/ruff/rules/${name}/` : undefined;
}
