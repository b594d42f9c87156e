import type { RuleContext } from '../../engine/context.js';
import type { Confidence, Severity, SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { isInstanceOf } from '../support/tainted-sink.js';

type MessageId = 'tarExtraction' | 'unpackArchive';

/** Calls that open a tar archive, and where they take it (a path or a file object). */
const TAR_OPENERS = new Set(['tarfile.open', 'tarfile.TarFile', 'tarfile.TarFile.open', 'tarfile.TarFile.taropen']);
const EXTRACT_METHODS = new Set(['extractall', 'extract']);
/** Filters that check nothing: the pre-3.14 default behaviour, spelled out. */
const TRUSTING_FILTERS = new Set(['fully_trusted', 'tarfile.fully_trusted_filter']);

/** The archive a tar object was opened from: `tarfile.open(path)` or `tarfile.open(fileobj=upload)`. */
function openedArchive(opener: SyntaxNode, context: RuleContext<MessageId>): SyntaxNode | undefined {
  return context.keywordArgument(opener, 'fileobj') ?? context.argument(opener, 0, 'name');
}

/** The `tarfile.open(...)` call behind an extraction's receiver, directly or through a name bound once. */
function tarOpener(receiver: SyntaxNode, context: RuleContext<MessageId>): SyntaxNode | undefined {
  if (receiver.type === 'call') return TAR_OPENERS.has(context.calleeName(receiver) ?? '') ? receiver : undefined;
  if (receiver.type !== 'identifier' || !isInstanceOf(context, receiver, TAR_OPENERS)) return undefined;
  return context.bindingsOf(receiver)[0]?.value;
}

/** True when the call passes a filter that checks members (`filter="data"`, `filter=my_filter`). */
function hasCheckingFilter(call: SyntaxNode, context: RuleContext<MessageId>): boolean {
  const filter = context.keywordArgument(call, 'filter');
  if (!filter) return false;
  const name = context.stringValue(filter) ?? context.qualifiedName(filter);
  return !(name && TRUSTING_FILTERS.has(name)) && filter.type !== 'none';
}

/** Severity and confidence from where the archive comes from; undefined for the author's own (a literal path). */
function grade(
  archive: SyntaxNode | undefined,
  context: RuleContext<MessageId>,
): { severity: Severity; confidence: Confidence } | undefined {
  if (!archive) return { severity: 'medium', confidence: 'medium' };
  const origin = context.origin(archive, 'path');
  if (origin.kind === 'constant' || origin.kind === 'sanitized') return undefined;
  // Request data is an attacker's archive; a path from the command line is the operator's choice.
  return origin.kind === 'source' && origin.confidence === 'high'
    ? { severity: 'high', confidence: 'high' }
    : { severity: 'medium', confidence: 'medium' };
}

export default createRule({
  id: 'archive-extraction-without-filter',
  meta: {
    title: 'Tar archive extracted without a member filter',
    category: 'injection',
    cwe: [22, 59],
    severity: 'medium',
    confidence: 'medium',
    equivalents: { bandit: ['B202'], ruff: ['S202'] },
    messages: {
      tarExtraction:
        '`{{method}}` extracts a tar archive without `filter="data"`: until Python 3.14 a member named `../../x`, an absolute path or a link can write anywhere the process can',
      unpackArchive:
        '`shutil.unpack_archive` extracts without `filter="data"`: a tar member named `../../x`, an absolute path or a link can write anywhere the process can',
    },
    docs: {
      why: "Before Python 3.14, `TarFile.extractall()` and `extract()` default to the `fully_trusted` behaviour: they honour absolute member names, `..` components, symbolic and hard links that point outside the target and device files (CVE-2007-4559). Extracting an archive that someone else made (an upload, a download, a build artefact) lets its author overwrite any file the process can write, such as code, configuration or `~/.ssh/authorized_keys`. Python 3.12 and the security releases 3.8.17, 3.9.17, 3.10.12 and 3.11.4 added `filter='data'`, which refuses all of these; it is the default only from 3.14.",
      example:
        'import tarfile\n\ndef install_plugin(upload, target):\n    with tarfile.open(fileobj=upload) as archive:\n        archive.extractall(target)',
      fix: 'Pass `filter="data"` (or `"tar"` when permissions must be kept) to every extraction; on older Pythons, check each member\'s resolved path and type before extracting it.\n\n```python\nimport tarfile\n\ndef install_plugin(upload, target):\n    with tarfile.open(fileobj=upload) as archive:\n        archive.extractall(target, filter="data")\n```',
      knownProblems:
        'Extractions from archives opened with `tarfile.open` or `TarFile` (directly, or through a name bound once, `with … as tar` included) are reported unless a checking `filter=` is passed; `filter="fully_trusted"` counts as none. An archive whose path is a literal in the code is the author\'s own and is not reported; one traced to request data is reported at high severity and high confidence, any other at medium. Passing `members=` is not taken as proof that the members were checked. `shutil.unpack_archive` is reported on the same terms, since it extracts tar formats through `tarfile`. `zipfile` extractions are not reported: `ZipFile.extract` and `extractall` already drop absolute paths and `..` components and create no links.',
      references: [
        'https://docs.python.org/3/library/tarfile.html#tarfile-extraction-filter',
        'https://peps.python.org/pep-0706/',
        'https://nvd.nist.gov/vuln/detail/CVE-2007-4559',
        'https://cwe.mitre.org/data/definitions/22.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      if (!context.isModuleImported('tarfile') && !context.isModuleImported('shutil')) return;
      if (context.hasUnpackedArguments(node) || hasCheckingFilter(node, context)) return;
      if (context.calleeName(node) === 'shutil.unpack_archive') {
        const graded = grade(context.argument(node, 0, 'filename'), context);
        if (graded) context.report({ node, messageId: 'unpackArchive', ...graded });
        return;
      }
      const fn = node.childForFieldName('function');
      const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      const receiver = fn?.childForFieldName('object');
      if (!method || !EXTRACT_METHODS.has(method) || !receiver) return;
      const opener = tarOpener(receiver, context);
      if (!opener) return;
      const graded = grade(openedArchive(opener, context), context);
      if (graded) context.report({ node, messageId: 'tarExtraction', data: { method: fn!.text }, ...graded });
    },
  },
  tests: {
    valid: [
      'import tarfile\nwith tarfile.open(path) as tar:\n    tar.extractall(dest, filter="data")',
      'import tarfile\ntar = tarfile.open("vendor/fixtures.tar.gz")\ntar.extractall("build")',
      'import zipfile\nwith zipfile.ZipFile(upload) as z:\n    z.extractall(dest)',
      'import tarfile\ndef unpack(path, dest):\n    with tarfile.open(path) as tar:\n        tar.extractall(dest, filter=tarfile.data_filter)',
      'import shutil\nshutil.unpack_archive(archive, dest, filter="tar")',
      'import tarfile\ndef unpack(archive, dest):\n    archive.extractall(dest)',
    ],
    invalid: [
      {
        code: 'import tarfile\ndef unpack(path, dest):\n    with tarfile.open(path) as tar:\n        tar.extractall(dest)',
        errors: [{ messageId: 'tarExtraction', line: 4, severity: 'medium', message: '`tar.extractall`' }],
      },
      {
        code: 'import tarfile\nfrom flask import request\n\n@app.post("/plugins")\ndef upload():\n    archive = tarfile.open(fileobj=request.files["plugin"])\n    archive.extractall("/srv/plugins")',
        errors: [{ messageId: 'tarExtraction', line: 7, severity: 'high', confidence: 'high' }],
      },
      {
        code: 'import tarfile\ndef restore(path):\n    tarfile.open(path, "r:gz").extract("config.json", filter="fully_trusted")',
        errors: [{ messageId: 'tarExtraction', message: '.extract`' }],
      },
      {
        code: 'import tarfile\ndef unpack(blob, dest):\n    with tarfile.TarFile(fileobj=blob) as tar:\n        tar.extractall(path=dest, members=tar.getmembers())',
        errors: [{ messageId: 'tarExtraction', line: 4 }],
      },
      {
        code: 'import shutil\ndef install(downloaded, target):\n    shutil.unpack_archive(downloaded, target)',
        errors: [{ messageId: 'unpackArchive', line: 3 }],
      },
      {
        code: 'import sys\nimport tarfile\ntar = tarfile.open(sys.argv[1])\ntar.extractall()',
        errors: [{ messageId: 'tarExtraction', line: 4, severity: 'medium', confidence: 'medium' }],
      },
    ],
  },
});
