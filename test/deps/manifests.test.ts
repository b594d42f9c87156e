import { describe, expect, it } from '@jest/globals';
import { manifestKind, parseManifest } from '../../src/deps/manifests.js';
import { parseRequirement, versionBounds } from '../../src/deps/pep508.js';

describe('PEP 508 requirements', () => {
  it('parses names, extras, specifiers and markers', () => {
    expect(parseRequirement('Django[bcrypt] >= 3.2, < 4 ; python_version < "3.12"')).toEqual({
      name: 'Django',
      normalizedName: 'django',
      extras: ['bcrypt'],
      specifier: '>=3.2,<4',
      marker: 'python_version < "3.12"',
    });
    expect(parseRequirement('zope.interface (==5.4.0)').specifier).toBe('==5.4.0');
    expect(parseRequirement('pkg @ https://example.com/pkg.whl').url).toBe('https://example.com/pkg.whl');
  });

  it('rejects a broken specifier with a readable reason', () => {
    expect(() => parseRequirement('flask >>= 2')).toThrow(/invalid version specifier/);
  });

  it('derives the pinned version and the lowest allowed version', () => {
    expect(versionBounds('==1.2.3')).toEqual({ pinned: '1.2.3', lowerBound: '1.2.3' });
    expect(versionBounds('>=1.0,<2')).toEqual({ lowerBound: '1.0' });
    expect(versionBounds('~=2.1')).toEqual({ lowerBound: '2.1' });
    expect(versionBounds('<2')).toEqual({});
  });
});

describe('manifest parsing', () => {
  it('recognises manifests by file name', () => {
    expect(manifestKind('requirements.txt')).toBe('requirements');
    expect(manifestKind('deploy/requirements-dev.txt')).toBe('requirements');
    expect(manifestKind('pyproject.toml')).toBe('pyproject');
    expect(manifestKind('Pipfile.lock')).toBe('pipfile-lock');
    expect(manifestKind('poetry.lock')).toBe('poetry-lock');
    expect(manifestKind('uv.lock')).toBe('uv-lock');
    expect(manifestKind('setup.py')).toBeUndefined();
  });

  it('reads requirements.txt with includes, continuations, hashes, markers and odd lines', () => {
    const text = [
      '# pinned for prod',
      '-r base.txt',
      '--index-url https://pypi.example/simple',
      'django==3.2.1 \\',
      '    --hash=sha256:abc123',
      'requests[socks]>=2.20 ; python_version >= "3.8"  # http',
      '-e git+https://github.com/org/pkg.git#egg=pkg',
      'git+https://github.com/org/other.git',
      './local/pkg',
      'flask >>= 2',
      'urllib3',
    ].join('\n');
    const manifest = parseManifest('requirements', text);
    expect(manifest.includes).toEqual([{ path: 'base.txt', line: 2 }]);
    expect(manifest.entries.map((e) => [e.name, e.specifier, e.line, e.endLine, e.pinned, e.marker])).toEqual([
      ['django', '==3.2.1', 4, 5, '3.2.1', undefined],
      ['requests', '>=2.20', 6, 6, undefined, 'python_version >= "3.8"'],
      ['urllib3', '', 11, 11, undefined, undefined],
    ]);
    expect(manifest.notes.map((n) => n.line)).toEqual([7, 8, 9, 10]);
  });

  it('reads pyproject dependencies, optional dependencies and Poetry groups with their lines', () => {
    const text = [
      '[project]',
      'name = "app"',
      'dependencies = [',
      '  "jinja2==2.10",',
      '  "pyyaml>=5.1",',
      ']',
      '[project.optional-dependencies]',
      'dev = ["pytest==7.0.0"]',
      '[tool.poetry.dependencies]',
      'python = "^3.11"',
      'requests = "^2.19.0"',
      'lxml = { version = "4.6.2", extras = ["html"] }',
      'mylib = { path = "../mylib" }',
      '[tool.poetry.group.dev.dependencies]',
      'black = "23.1.0"',
    ].join('\n');
    const manifest = parseManifest('pyproject', text);
    expect(manifest.entries.map((e) => [e.name, e.specifier, e.line])).toEqual([
      ['jinja2', '==2.10', 4],
      ['pyyaml', '>=5.1', 5],
      ['pytest', '==7.0.0', 8],
      ['requests', '>=2.19.0', 11],
      ['lxml', '==4.6.2', 12],
      ['black', '==23.1.0', 15],
    ]);
    expect(manifest.notes).toEqual([{ line: 13, message: expect.stringContaining('local path') }]);
  });

  it('reads Pipfile, Pipfile.lock, poetry.lock and uv.lock', () => {
    const pipfile = parseManifest(
      'pipfile',
      '[packages]\nflask = "==1.0"\nrequests = "*"\n[dev-packages]\npytest = {version = ">=6"}\n',
    );
    expect(pipfile.entries.map((e) => [e.name, e.specifier, e.line])).toEqual([
      ['flask', '==1.0', 2],
      ['requests', '', 3],
      ['pytest', '>=6', 5],
    ]);
    const lock = parseManifest(
      'pipfile-lock',
      JSON.stringify({ default: { flask: { version: '==1.0' } }, develop: { pytest: { version: '==6.0' } } }, null, 4),
    );
    expect(lock.entries.map((e) => [e.name, e.pinned, e.locked])).toEqual([
      ['flask', '1.0', true],
      ['pytest', '6.0', true],
    ]);
    const poetryLock = parseManifest(
      'poetry-lock',
      '[[package]]\nname = "jinja2"\nversion = "2.10"\n\n[[package]]\nname = "markupsafe"\nversion = "1.1.1"\n',
    );
    expect(poetryLock.entries.map((e) => [e.name, e.pinned, e.line])).toEqual([
      ['jinja2', '2.10', 3],
      ['markupsafe', '1.1.1', 7],
    ]);
    const uvLock = parseManifest(
      'uv-lock',
      'version = 1\n[[package]]\nname = "app"\nsource = { editable = "." }\n\n[[package]]\nname = "idna"\nversion = "2.8"\n',
    );
    expect(uvLock.entries.map((e) => [e.name, e.pinned, e.line])).toEqual([['idna', '2.8', 8]]);
    expect(uvLock.notes).toEqual([{ line: 3, message: expect.stringContaining('no locked version') }]);
  });

  it('turns a malformed TOML or JSON manifest into a note instead of an exception', () => {
    expect(parseManifest('pyproject', '[project\ndependencies = [').notes[0].message).toMatch(
      /cannot parse the pyproject manifest/,
    );
    expect(parseManifest('pipfile-lock', '{ not json').notes[0].message).toMatch(/cannot parse/);
    expect(parseManifest('pyproject', '[project\n').entries).toEqual([]);
  });
});
