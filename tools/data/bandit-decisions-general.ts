import type { BanditDecision } from './bandit-checks.js';

/**
 * Bandit checks that Warden's rules cover only in part, or not at all, outside the areas that
 * keep their own decision files. A narrower reason restates the scope its rule documents.
 */
export const banditDecisions: readonly BanditDecision[] = [
  {
    code: 'B101',
    decision: 'narrower',
    reason:
      '`assert-access-control` reports only asserts whose condition is an access check (authentication, permissions, roles, ownership), which `python -O` silently removes; other asserts state invariants, and test files are skipped.',
  },
  {
    code: 'B102',
    decision: 'narrower',
    reason:
      '`code-injection` reports `exec` of code that is not a literal; executing a constant string runs only what the author wrote.',
  },
  {
    code: 'B104',
    decision: 'narrower',
    reason:
      '`bind-all-interfaces` reports `0.0.0.0` and `::` only where they are used as a listening address (a `host=`/`bind=` argument, the host passed to `run`, `serve`, `listen`, `bind` or a `*Server`, or a host-like name such as `HOST`); comparisons and constants that merely mention the address are not bindings.',
  },
  {
    code: 'B105',
    decision: 'narrower',
    reason:
      '`hardcoded-secret` skips names that describe a credential rather than hold one (`token_type`, `password_field`), values that are obviously not secrets (the empty string, placeholders, environment-variable names, text with spaces) and, for name-based findings, test files.',
  },
  {
    code: 'B108',
    decision: 'narrower',
    reason:
      '`insecure-temp-file` reports fixed `/tmp` paths only where files are opened, created or changed through them (file calls, path-like keywords and names); strings that merely mention `/tmp`, such as docstrings, messages and build metadata, are left alone.',
  },
  {
    code: 'B202',
    decision: 'narrower',
    reason:
      'Revisited: until Python 3.14 the default tar extraction is `fully_trusted`, so `archive-extraction-without-filter` reports `extractall`/`extract` and `shutil.unpack_archive` without a checking `filter=` (`"data"`, `"tar"` or a function). Archives whose path is a literal in the code are the author\'s own and are not reported, and `members=` alone is not taken as a check.',
  },
  {
    code: 'B307',
    decision: 'narrower',
    reason:
      '`code-injection` reports `eval` of code that is not a literal; evaluating a constant expression runs only what the author wrote.',
  },
  {
    code: 'B308',
    decision: 'narrower',
    reason:
      '`unsafe-markup` reports `mark_safe` of HTML built at runtime; literal markup and values escaped in place (`mark_safe(escape(x))`, `format_html_join`) cannot carry injected HTML.',
  },
  {
    code: 'B310',
    decision: 'narrower',
    reason:
      'Revisited: `ssrf` reports `urllib.request.urlopen` and the other HTTP clients (also sessions and clients held in variables, `self` attributes or made inline) when the URL comes from web request data, where an attacker could choose a `file:` or custom scheme, or from the `jku`/`x5u` field of an unverified JWT header; Bandit and Ruff audit every call, including URLs the program builds from its own constants.',
  },
  {
    code: 'B321',
    decision: 'narrower',
    reason:
      '`cleartext-protocol` reports FTP connections (`ftplib.FTP(...)`), not every use of the module: its constants and exception classes (`ftplib.FTP_PORT`, `ftplib.all_errors`) open nothing.',
  },
  {
    code: 'B402',
    decision: 'narrower',
    reason:
      '`cleartext-protocol` reports an `ftplib` import only in a file that never opens an FTP connection itself (otherwise the connection is the finding), and never when the file uses `FTP_TLS`.',
  },
  {
    code: 'B603',
    decision: 'narrower',
    reason:
      'An argument list without a shell is the safe way to run a program, so `subprocess-without-shell` reports it only when the taint analysis traces part of the argv to an untrusted source (request data, `sys.argv`, `input()`).',
  },
  {
    code: 'B605',
    decision: 'narrower',
    reason:
      '`os-command-injection` does not report command lines whose runtime values all pass through `shlex.quote`, which makes each one a single shell word.',
  },
  {
    code: 'B607',
    decision: 'narrower',
    reason:
      "`subprocess-partial-path` reads only literal commands (a program chosen at runtime is the injection rules' concern) and skips shell builtins.",
  },
  {
    code: 'B608',
    decision: 'narrower',
    reason:
      'Revisited: `sql-injection` reports SQL where it is run (DB-API `execute`/`executemany`, the async drivers\' `fetch`/`fetchrow`/`fetchval`, peewee `execute_sql` and `Model.raw`, Django managers\' `raw`, `RawSQL`, `extra`, SQLAlchemy `text`, pandas `read_sql`, …) and only when the query is built from data; strings that merely start like SQL (messages such as "Select the desired keys", error texts) and statements built only from quoted identifiers are not reported. Where SQL is run, not where a string is written, is also where the trace from request data ends.',
  },
  {
    code: 'B613',
    decision: 'not-reported',
    reason:
      'GitHub marks files with bidirectional or hidden Unicode characters in every pull-request diff, which is where Warden reviews code, so a second warning on the same lines would add nothing.',
  },
  {
    code: 'B615',
    decision: 'not-reported',
    reason:
      'Pinning a Hugging Face model to a revision is a supply-chain policy, better enforced where dependencies are reviewed; the step that can run code from a model is loading its weights, which `torch-load-unsafe` reports.',
  },
];
