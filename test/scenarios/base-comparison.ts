/**
 * The pull requests that decide what "new in this change" means, each as base and head
 * sources. One table drives both front-ends: `warden scan --diff` on a temporary git
 * repository and the GitHub App on a mocked pull request.
 */

/** A finding the change must report: rule, head path and line, and (for unchanged lines) what the change did. */
export interface ExpectedFinding {
  ruleId: string;
  path: string;
  line: number;
  /** Matched against `introducedBy.note`. */
  note?: RegExp;
  /** Where the inline comment goes when it is not on the finding's own line. */
  anchor?: { side: 'LEFT' | 'RIGHT'; line: number };
}

export interface ExpectedFix {
  ruleId: string;
  /** The base path and line. */
  path: string;
  line: number;
}

export interface Scenario {
  name: string;
  /** Files at the merge base, by path. */
  base: Record<string, string>;
  /** Files at the head, by path; a base file missing here was deleted. */
  head: Record<string, string>;
  /** Head path → base path of renamed files. */
  renamed?: Record<string, string>;
  reported: ExpectedFinding[];
  fixed: ExpectedFix[];
}

const JOBS = [
  'import subprocess',
  '',
  '',
  'def archive(name):',
  '    subprocess.run(f"tar czf {name}.tgz data/", shell=True)',
  '',
  '',
  'def cleanup(path):',
  '    subprocess.call("rm -rf " + path, shell=True)',
  '',
].join('\n');

const JOBS_MOVED = [
  'import subprocess',
  '',
  '',
  'def cleanup(path):',
  '    subprocess.call("rm -rf " + path, shell=True)',
  '',
  '',
  'def archive(name):',
  '    subprocess.run(f"tar czf {name}.tgz data/", shell=True)',
  '',
].join('\n');

const TWO_SPACES = [
  'import subprocess',
  '',
  '',
  'def archive(name, level):',
  '  if level > 1:',
  "    subprocess.run(f'tar czf {name}.tgz --level {level} data/', shell=True, check=True)",
  '',
].join('\n');

const BLACKENED = [
  'import subprocess',
  '',
  '',
  'def archive(name, level):',
  '    if level > 1:',
  '        subprocess.run(',
  '            f"tar czf {name}.tgz --level {level} data/",',
  '            shell=True,',
  '            check=True,',
  '        )',
  '',
].join('\n');

const LONG_CALL = [
  'import subprocess',
  '',
  '',
  'def publish(name, target):',
  '    subprocess.run(f"rsync -a --delete build/{name}/ deploy@{target}:/srv/{name}/", shell=True, check=True)',
  '    return name',
  '',
].join('\n');

const LONG_CALL_REWRAPPED = [
  'import subprocess',
  '',
  '',
  'def publish(name, target):',
  '    subprocess.run(',
  '        f"rsync -a --delete build/{name}/ deploy@{target}:/srv/{name}/",',
  '        shell=True,',
  '        check=True,',
  '    )',
  '    subprocess.run(f"ssh deploy@{target} reload {name}", shell=True)',
  '    return name',
  '',
].join('\n');

const SANITIZED = [
  'import shlex',
  'import subprocess',
  '',
  'from flask import Flask, request',
  '',
  'app = Flask(__name__)',
  '',
  '',
  '@app.route("/archive")',
  'def archive():',
  '    name = request.args["name"]',
  '    name = shlex.quote(name)',
  '    subprocess.run("tar czf " + name + ".tgz data/", shell=True)',
  '    return "ok"',
  '',
].join('\n');

const XML_SAFE = [
  'import defusedxml.ElementTree as ET',
  '',
  '',
  'def load_feed(path):',
  '    tree = ET.parse(path)',
  '    return tree.getroot()',
  '',
].join('\n');

const TLS = (verify: 'True' | 'False') =>
  [
    'import requests',
    '',
    `VERIFY = ${verify}`,
    '',
    '',
    'def fetch(url):',
    '    return requests.get(url, verify=VERIFY, timeout=10)',
    '',
  ].join('\n');

export const SCENARIOS: Scenario[] = [
  {
    name: 'a function moved within a file',
    base: { 'app/jobs.py': JOBS },
    head: { 'app/jobs.py': JOBS_MOVED },
    reported: [],
    fixed: [],
  },
  {
    name: 'a file reformatted: indent 2 to 4, calls one argument per line, quotes changed',
    base: { 'app/archive.py': TWO_SPACES },
    head: { 'app/archive.py': BLACKENED },
    reported: [],
    fixed: [],
  },
  {
    name: 'a long call re-wrapped and a new sink in the same hunk',
    base: { 'deploy.py': LONG_CALL },
    head: { 'deploy.py': LONG_CALL_REWRAPPED },
    reported: [{ ruleId: 'subprocess-shell-true', path: 'deploy.py', line: 10 }],
    fixed: [],
  },
  {
    name: 'lines shifted by an insert above',
    base: { 'app/jobs.py': JOBS },
    head: { 'app/jobs.py': `"""Background jobs."""\nimport logging\n\nlog = logging.getLogger(__name__)\n${JOBS}` },
    reported: [],
    fixed: [],
  },
  {
    name: 'a sanitizer line deleted',
    base: { 'app/views.py': SANITIZED },
    head: { 'app/views.py': SANITIZED.replace('    name = shlex.quote(name)\n', '') },
    reported: [
      {
        ruleId: 'subprocess-shell-true',
        path: 'app/views.py',
        line: 12,
        note: /the sanitizer on base line 12 \(`name = shlex\.quote\(name\)`\) was removed/,
        anchor: { side: 'LEFT', line: 12 },
      },
    ],
    fixed: [],
  },
  {
    name: 'a safe import swapped for an unsafe one',
    base: { 'feeds.py': XML_SAFE },
    head: { 'feeds.py': XML_SAFE.replace('import defusedxml.ElementTree as ET', 'import xml.etree.ElementTree as ET') },
    reported: [
      {
        ruleId: 'xml-external-entities',
        path: 'feeds.py',
        line: 5,
        note: /line 1 now imports `xml\.etree\.ElementTree` instead of `defusedxml\.ElementTree`/,
        anchor: { side: 'RIGHT', line: 1 },
      },
    ],
    fixed: [],
  },
  {
    name: 'a flag flipped on a line away from the sink',
    base: { 'client.py': TLS('True') },
    head: { 'client.py': TLS('False') },
    reported: [
      {
        ruleId: 'tls-verification-disabled',
        path: 'client.py',
        line: 7,
        note: /line 3 now reads `VERIFY = False` \(base line 3: `VERIFY = True`\)/,
        anchor: { side: 'RIGHT', line: 3 },
      },
    ],
    fixed: [],
  },
  {
    name: 'a file renamed with the same content',
    base: { 'app/jobs.py': JOBS },
    head: { 'app/tasks.py': JOBS },
    renamed: { 'app/tasks.py': 'app/jobs.py' },
    reported: [],
    fixed: [],
  },
  {
    name: 'a new file',
    base: {},
    head: { 'app/jobs.py': JOBS },
    reported: [
      { ruleId: 'subprocess-shell-true', path: 'app/jobs.py', line: 5 },
      { ruleId: 'subprocess-shell-true', path: 'app/jobs.py', line: 9 },
    ],
    fixed: [],
  },
  {
    name: 'a file deleted',
    base: { 'app/jobs.py': JOBS },
    head: {},
    reported: [],
    fixed: [
      { ruleId: 'subprocess-shell-true', path: 'app/jobs.py', line: 5 },
      { ruleId: 'subprocess-shell-true', path: 'app/jobs.py', line: 9 },
    ],
  },
];
