import type { RuleContext } from '../../engine/context.js';
import type { Confidence, Fix, Severity, SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import {
  RUAMEL_UNSAFE_TYPES,
  RUAMEL_YAML_CLASS,
  YAML_LOAD_FUNCTIONS,
  YAML_LOADERS,
  type YamlLoaderKind,
} from '../data/deserialization-yaml.js';
import { spellModuleMember } from '../support/crypto-module-member.js';
import { readsFixedFile } from '../support/deserialization-fixed-file.js';

/** How far up a chain of locally defined loader subclasses to look for a PyYAML base. */
const MAX_LOADER_DEPTH = 4;

/** What a `Loader` argument allows: a PyYAML loader, or a local class derived from one. */
function loaderKind(loader: SyntaxNode, context: RuleContext<string>, depth = 0): YamlLoaderKind | undefined {
  const known = YAML_LOADERS.get(context.qualifiedName(loader) ?? '');
  if (known || loader.type !== 'identifier' || depth >= MAX_LOADER_DEPTH) return known;
  const definitions = context
    .bindingsOf(loader)
    .filter((b) => b.kind === 'definition' && b.statement.type === 'class_definition');
  if (definitions.length !== 1) return undefined;
  const bases = definitions[0].statement.childForFieldName('superclasses')?.namedChildren ?? [];
  const kinds = bases.map((base) => loaderKind(base, context, depth + 1));
  // The most permissive base decides: a subclass of `yaml.Loader` is unsafe whatever mixins it adds.
  return kinds.includes('unsafe')
    ? 'unsafe'
    : kinds.includes('full')
      ? 'full'
      : kinds.includes('safe')
        ? 'safe'
        : undefined;
}

/** `yaml.load(stream, Loader=…)` → `yaml.safe_load(stream)`, when the call passes nothing else. */
function safeLoadFix(
  call: SyntaxNode,
  stream: SyntaxNode | undefined,
  safeMember: string,
  context: RuleContext<string>,
): Fix | undefined {
  const args = call.childForFieldName('arguments');
  if (!stream || !args || args.type !== 'argument_list' || context.hasUnpackedArguments(call)) return undefined;
  const passed = args.namedChildren;
  const keywordName = (arg: SyntaxNode) =>
    arg.type === 'keyword_argument' ? arg.childForFieldName('name')?.text : undefined;
  // Positional stream and loader, or their keywords; anything else (or a comment) would be lost.
  const onlyStreamAndLoader = passed.every((arg, index) =>
    arg.type === 'keyword_argument'
      ? ['stream', 'Loader'].includes(keywordName(arg) ?? '')
      : arg.type !== 'comment' && index < 2,
  );
  if (!onlyStreamAndLoader) return undefined;
  const spelling = spellModuleMember(context, call.childForFieldName('function')!, 'yaml', safeMember);
  if (!spelling) return undefined;
  const streamArgument = stream.parent?.type === 'keyword_argument' ? stream.parent : stream;
  return {
    description: `Use \`${spelling}\``,
    edits: [context.replaceNode(call, `${spelling}(${streamArgument.text})`)],
  };
}

export default createRule({
  id: 'yaml-unsafe-load',
  meta: {
    title: 'YAML loaded with a loader that builds Python objects',
    category: 'deserialization',
    cwe: [502, 20],
    severity: 'medium',
    confidence: 'high',
    equivalents: { bandit: ['B506'], ruff: ['S506'] },
    messages: {
      unsafeLoader:
        '`{{fn}}` with `{{loader}}` lets the document construct arbitrary Python objects and run code; use `yaml.safe_load`',
      unsafeFunction:
        '`{{fn}}` lets the document construct arbitrary Python objects and run code; use `yaml.safe_load`',
      noLoader:
        '`{{fn}}` without a `Loader` constructs arbitrary Python objects on PyYAML before 5.1 (and fails from 6.0); use `yaml.safe_load`',
      fullLoader:
        '`{{fn}}` uses FullLoader, which allowed code execution before PyYAML 5.4 and still builds Python objects; use `yaml.safe_load`',
    },
    docs: {
      why: "PyYAML's `Loader`/`UnsafeLoader` honour tags such as `!!python/object/apply:os.system`, so a YAML document can call any function while it is being loaded. Before PyYAML 5.1 `yaml.load` used that loader by default. `FullLoader` had several bypasses leading to code execution until 5.4 (CVE-2020-1747, CVE-2020-14343) and still instantiates Python types. Configuration files, API payloads and uploaded manifests are all YAML that can come from somewhere else.",
      example: 'import yaml\n\ndef read_manifest(upload):\n    return yaml.load(upload, Loader=yaml.Loader)',
      fix: 'Use `yaml.safe_load` (or `Loader=yaml.SafeLoader` / `yaml.CSafeLoader`), which only builds plain dicts, lists, strings, numbers, dates and None. Convert those into your own objects explicitly.\n\n```python\nimport yaml\n\ndef read_manifest(upload):\n    return yaml.safe_load(upload)\n```',
      knownProblems:
        'The fix switches to `safe_load`, which rejects `!!python/...` tags: a document that relies on them on purpose stops loading, which is the point, but check trusted inputs you control. The fix is offered only when the call passes nothing but the stream and the loader and the file already has a name for `safe_load` (`yaml.safe_load`, an alias of the module, or `from yaml import safe_load`); with only `from yaml import load` it would have to add an import, so none is offered. Loaders passed through variables or imported from other modules cannot be classified and are not reported; local subclasses are classified by their PyYAML base. `Loader`/`UnsafeLoader` and `unsafe_load` are reported at high severity whatever the stream, since the loader runs code; a call without a loader is medium unless request data reaches it, and `FullLoader` is low. A literal document is never reported; a file whose path is written in the code (usually the application\'s own configuration) is reported at low confidence. `ruamel.yaml`\'s `YAML(typ="unsafe")` is reported too.',
      references: [
        'https://github.com/yaml/pyyaml/wiki/PyYAML-yaml.load(input)-Deprecation',
        'https://pyyaml.org/wiki/PyYAMLDocumentation',
        'https://nvd.nist.gov/vuln/detail/CVE-2020-14343',
        'https://cwe.mitre.org/data/definitions/502.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = context.calleeName(node);
      if (!fn) return;
      if (fn === RUAMEL_YAML_CLASS) {
        const typ = context.stringValue(context.keywordArgument(node, 'typ'));
        if (typ && RUAMEL_UNSAFE_TYPES.includes(typ))
          context.report({ node, messageId: 'unsafeLoader', data: { fn, loader: `typ="${typ}"` } });
        return;
      }
      const spec = YAML_LOAD_FUNCTIONS.get(fn);
      if (!spec) return;
      const stream = context.argument(node, 0, 'stream');
      const origin = stream ? context.origin(stream, 'deserialization') : undefined;
      // A document written in the code is the author's own; sanitized data has been vetted.
      if (context.isConstant(stream) || origin?.kind === 'sanitized') return;

      let kind = spec.loader;
      let messageId: 'unsafeLoader' | 'unsafeFunction' | 'noLoader' | 'fullLoader' =
        kind === 'full' ? 'fullLoader' : 'unsafeFunction';
      const loader = spec.loader ? undefined : context.argument(node, 1, 'Loader');
      if (!spec.loader) {
        if (!loader) {
          if (context.hasUnpackedArguments(node)) return;
          kind = 'unsafe';
          messageId = 'noLoader';
        } else {
          kind = loaderKind(loader, context);
          if (kind === undefined || kind === 'safe') return;
          messageId = kind === 'full' ? 'fullLoader' : 'unsafeLoader';
        }
      }
      const fromSource = origin?.kind === 'source';
      const strongSource = fromSource && origin.confidence === 'high';
      // An unsafe loader runs whatever the document says, wherever it comes from; without a
      // loader the outcome depends on the PyYAML version (unsafe before 5.1, an error from 6.0).
      const severity: Severity =
        kind === 'full' ? 'low' : messageId === 'noLoader' && !strongSource ? 'medium' : 'high';
      // A file whose path is written in the code is usually the application's own configuration.
      const fixedFile = origin?.kind === 'constant' || (origin?.kind === 'unknown' && readsFixedFile(stream!, context));
      const confidence: Confidence = fixedFile
        ? 'low'
        : messageId === 'noLoader' || kind === 'full'
          ? 'medium'
          : 'high';
      const fix = safeLoadFix(node, stream, spec.safeMember, context);
      context.report({
        node,
        messageId,
        data: { fn, loader: loader?.text ?? '' },
        severity,
        confidence,
        ...(fromSource ? { trace: origin.trace } : {}),
        ...(fix ? { fix } : {}),
      });
    },
  },
  tests: {
    valid: [
      'import yaml\nyaml.safe_load(stream)',
      'import yaml\nyaml.load(stream, Loader=yaml.SafeLoader)',
      'import yaml\nyaml.load(stream, yaml.CSafeLoader)',
      'import yaml\nyaml.load("a: 1")',
      'import yaml\nclass StrictLoader(yaml.SafeLoader):\n    pass\nyaml.load(stream, Loader=StrictLoader)',
      'import yaml\nyaml.load(stream, **options)',
      'def load(stream):\n    return stream\nload(stream)',
      'from ruamel.yaml import YAML\nYAML(typ="safe").load(stream)',
    ],
    invalid: [
      {
        code: 'import yaml\nfrom flask import request\ndef upload():\n    return yaml.unsafe_load(request.files["manifest"])',
        errors: [{ messageId: 'unsafeFunction', line: 4, severity: 'high', confidence: 'high' }],
        output:
          'import yaml\nfrom flask import request\ndef upload():\n    return yaml.safe_load(request.files["manifest"])',
      },
      {
        code: 'import yaml\nconfig = yaml.load(stream, Loader=yaml.Loader)',
        errors: [
          { messageId: 'unsafeLoader', line: 2, severity: 'high', confidence: 'high', message: 'with `yaml.Loader`' },
        ],
        output: 'import yaml\nconfig = yaml.safe_load(stream)',
      },
      {
        code: 'import yaml as y\ny.load(fh)',
        errors: [{ messageId: 'noLoader', severity: 'medium', confidence: 'medium' }],
        output: 'import yaml as y\ny.safe_load(fh)',
      },
      { code: 'from yaml import load\nload(fh)', errors: [{ messageId: 'noLoader' }] },
      {
        code: 'from yaml import load_all, safe_load_all, UnsafeLoader\nfor doc in load_all(fh, UnsafeLoader):\n    print(doc)',
        errors: [{ messageId: 'unsafeLoader', line: 2 }],
        output: 'from yaml import load_all, safe_load_all, UnsafeLoader\nfor doc in safe_load_all(fh):\n    print(doc)',
      },
      {
        code: 'import yaml\nyaml.unsafe_load(body)',
        errors: [{ messageId: 'unsafeFunction', severity: 'high' }],
        output: 'import yaml\nyaml.safe_load(body)',
      },
      {
        code: 'import yaml\nyaml.load(stream=fh, Loader=yaml.FullLoader)',
        errors: [{ messageId: 'fullLoader', severity: 'low' }],
        output: 'import yaml\nyaml.safe_load(stream=fh)',
      },
      {
        code: 'import yaml\nclass TagLoader(yaml.Loader):\n    pass\nyaml.load(fh, Loader=TagLoader)',
        errors: [{ messageId: 'unsafeLoader', line: 4, message: '`TagLoader`' }],
        output: 'import yaml\nclass TagLoader(yaml.Loader):\n    pass\nyaml.safe_load(fh)',
      },
      {
        code: 'import yaml\nyaml.load(\n    fh,  # the upload\n    Loader=yaml.Loader,\n)',
        errors: [{ messageId: 'unsafeLoader', line: 2 }],
      },
      {
        code: 'import yaml\nwith open("settings.yml") as f:\n    settings = yaml.load(f, Loader=yaml.Loader)',
        errors: [{ messageId: 'unsafeLoader', line: 3, confidence: 'low' }],
        output: 'import yaml\nwith open("settings.yml") as f:\n    settings = yaml.safe_load(f)',
      },
      {
        code: 'from ruamel.yaml import YAML\nYAML(typ="unsafe").load(stream)',
        errors: [{ messageId: 'unsafeLoader', message: 'typ="unsafe"' }],
      },
    ],
  },
});
