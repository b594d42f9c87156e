/**
 * Every Bandit check code, as listed in Bandit's plugin docs (`doc/source/plugins`) and its
 * blocklists (`bandit/blacklists/calls.py`, `imports.py`). The rules index documents, for each
 * one, which Warden rule covers it or why Warden does not report it.
 */
export interface BanditCheck {
  code: string;
  /** Bandit's own name for the check. */
  name: string;
  kind: 'plugin' | 'blocklisted-call' | 'blocklisted-import';
  /** Set when Bandit itself no longer runs the check. */
  removedFromBandit?: string;
}

/**
 * What Warden does about a Bandit check that no rule lists in `meta.equivalents.bandit`
 * (`not-reported`), or that a rule covers only in part (`narrower`). Files named
 * `bandit-decisions-<topic>.ts` in this folder export these as `banditDecisions`.
 */
export interface BanditDecision {
  code: string;
  decision: 'not-reported' | 'narrower';
  reason: string;
}

export const banditChecks: readonly BanditCheck[] = [
  { code: 'B101', name: 'assert_used', kind: 'plugin' },
  { code: 'B102', name: 'exec_used', kind: 'plugin' },
  { code: 'B103', name: 'set_bad_file_permissions', kind: 'plugin' },
  { code: 'B104', name: 'hardcoded_bind_all_interfaces', kind: 'plugin' },
  { code: 'B105', name: 'hardcoded_password_string', kind: 'plugin' },
  { code: 'B106', name: 'hardcoded_password_funcarg', kind: 'plugin' },
  { code: 'B107', name: 'hardcoded_password_default', kind: 'plugin' },
  { code: 'B108', name: 'hardcoded_tmp_directory', kind: 'plugin' },
  {
    code: 'B109',
    name: 'password_config_option_not_marked_secret',
    kind: 'plugin',
    removedFromBandit: 'OpenStack oslo.config specific; dropped from Bandit',
  },
  { code: 'B110', name: 'try_except_pass', kind: 'plugin' },
  {
    code: 'B111',
    name: 'execute_with_run_as_root_equals_true',
    kind: 'plugin',
    removedFromBandit: 'OpenStack rootwrap specific; dropped from Bandit',
  },
  { code: 'B112', name: 'try_except_continue', kind: 'plugin' },
  { code: 'B113', name: 'request_without_timeout', kind: 'plugin' },
  { code: 'B201', name: 'flask_debug_true', kind: 'plugin' },
  { code: 'B202', name: 'tarfile_unsafe_members', kind: 'plugin' },
  { code: 'B301', name: 'pickle', kind: 'blocklisted-call' },
  { code: 'B302', name: 'marshal', kind: 'blocklisted-call' },
  { code: 'B303', name: 'md5', kind: 'blocklisted-call' },
  { code: 'B304', name: 'ciphers', kind: 'blocklisted-call' },
  { code: 'B305', name: 'cipher_modes', kind: 'blocklisted-call' },
  { code: 'B306', name: 'mktemp_q', kind: 'blocklisted-call' },
  { code: 'B307', name: 'eval', kind: 'blocklisted-call' },
  { code: 'B308', name: 'mark_safe', kind: 'blocklisted-call' },
  {
    code: 'B309',
    name: 'httpsconnection',
    kind: 'blocklisted-call',
    removedFromBandit: 'only affected Python before 2.7.9 and 3.4.3',
  },
  { code: 'B310', name: 'urllib_urlopen', kind: 'blocklisted-call' },
  { code: 'B311', name: 'random', kind: 'blocklisted-call' },
  { code: 'B312', name: 'telnetlib', kind: 'blocklisted-call' },
  { code: 'B313', name: 'xml_bad_cElementTree', kind: 'blocklisted-call' },
  { code: 'B314', name: 'xml_bad_ElementTree', kind: 'blocklisted-call' },
  { code: 'B315', name: 'xml_bad_expatreader', kind: 'blocklisted-call' },
  { code: 'B316', name: 'xml_bad_expatbuilder', kind: 'blocklisted-call' },
  { code: 'B317', name: 'xml_bad_sax', kind: 'blocklisted-call' },
  { code: 'B318', name: 'xml_bad_minidom', kind: 'blocklisted-call' },
  { code: 'B319', name: 'xml_bad_pulldom', kind: 'blocklisted-call' },
  { code: 'B320', name: 'xml_bad_etree', kind: 'blocklisted-call' },
  { code: 'B321', name: 'ftplib', kind: 'blocklisted-call' },
  {
    code: 'B322',
    name: 'input',
    kind: 'blocklisted-call',
    removedFromBandit: '`input` only evaluated its input on Python 2',
  },
  { code: 'B323', name: 'unverified_context', kind: 'blocklisted-call' },
  { code: 'B324', name: 'hashlib', kind: 'plugin' },
  { code: 'B401', name: 'import_telnetlib', kind: 'blocklisted-import' },
  { code: 'B402', name: 'import_ftplib', kind: 'blocklisted-import' },
  { code: 'B403', name: 'import_pickle', kind: 'blocklisted-import' },
  { code: 'B404', name: 'import_subprocess', kind: 'blocklisted-import' },
  { code: 'B405', name: 'import_xml_etree', kind: 'blocklisted-import' },
  { code: 'B406', name: 'import_xml_sax', kind: 'blocklisted-import' },
  { code: 'B407', name: 'import_xml_expat', kind: 'blocklisted-import' },
  { code: 'B408', name: 'import_xml_minidom', kind: 'blocklisted-import' },
  { code: 'B409', name: 'import_xml_pulldom', kind: 'blocklisted-import' },
  {
    code: 'B410',
    name: 'import_lxml',
    kind: 'blocklisted-import',
    removedFromBandit: 'lxml was taken off the blocklist; its parsers are judged by their options instead',
  },
  { code: 'B411', name: 'import_xmlrpclib', kind: 'blocklisted-import' },
  { code: 'B412', name: 'import_httpoxy', kind: 'blocklisted-import' },
  { code: 'B413', name: 'import_pycrypto', kind: 'blocklisted-import' },
  {
    code: 'B414',
    name: 'import_pycryptodome',
    kind: 'blocklisted-import',
    removedFromBandit: 'pycryptodome is maintained; the blocklist entry was withdrawn',
  },
  { code: 'B415', name: 'import_pyghmi', kind: 'blocklisted-import' },
  { code: 'B501', name: 'request_with_no_cert_validation', kind: 'plugin' },
  { code: 'B502', name: 'ssl_with_bad_version', kind: 'plugin' },
  { code: 'B503', name: 'ssl_with_bad_defaults', kind: 'plugin' },
  { code: 'B504', name: 'ssl_with_no_version', kind: 'plugin' },
  { code: 'B505', name: 'weak_cryptographic_key', kind: 'plugin' },
  { code: 'B506', name: 'yaml_load', kind: 'plugin' },
  { code: 'B507', name: 'ssh_no_host_key_verification', kind: 'plugin' },
  { code: 'B508', name: 'snmp_insecure_version', kind: 'plugin' },
  { code: 'B509', name: 'snmp_weak_cryptography', kind: 'plugin' },
  { code: 'B601', name: 'paramiko_calls', kind: 'plugin' },
  { code: 'B602', name: 'subprocess_popen_with_shell_equals_true', kind: 'plugin' },
  { code: 'B603', name: 'subprocess_without_shell_equals_true', kind: 'plugin' },
  { code: 'B604', name: 'any_other_function_with_shell_equals_true', kind: 'plugin' },
  { code: 'B605', name: 'start_process_with_a_shell', kind: 'plugin' },
  { code: 'B606', name: 'start_process_with_no_shell', kind: 'plugin' },
  { code: 'B607', name: 'start_process_with_partial_path', kind: 'plugin' },
  { code: 'B608', name: 'hardcoded_sql_expressions', kind: 'plugin' },
  { code: 'B609', name: 'linux_commands_wildcard_injection', kind: 'plugin' },
  { code: 'B610', name: 'django_extra_used', kind: 'plugin' },
  { code: 'B611', name: 'django_rawsql_used', kind: 'plugin' },
  { code: 'B612', name: 'logging_config_insecure_listen', kind: 'plugin' },
  { code: 'B613', name: 'trojansource', kind: 'plugin' },
  { code: 'B614', name: 'pytorch_load', kind: 'plugin' },
  { code: 'B615', name: 'huggingface_unsafe_download', kind: 'plugin' },
  { code: 'B701', name: 'jinja2_autoescape_false', kind: 'plugin' },
  { code: 'B702', name: 'use_of_mako_templates', kind: 'plugin' },
  { code: 'B703', name: 'django_mark_safe', kind: 'plugin' },
  { code: 'B704', name: 'markupsafe_markup_xss', kind: 'plugin' },
];
