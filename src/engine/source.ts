/** Decoding of Python source files: PEP 263 coding cookies, BOMs, binary and invalid bytes. */

export type DecodedSource = { kind: 'text'; text: string; notes: string[] } | { kind: 'binary' };

const CODING_COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

function declaredEncoding(bytes: Uint8Array): string | undefined {
  // The cookie may only sit on the first or second line.
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1').split(/\r?\n/, 2);
  for (const line of head) {
    const match = CODING_COOKIE.exec(line);
    if (match) return whatwgLabel(match[1]);
  }
  return undefined;
}

/**
 * Python's codec names as TextDecoder labels: Python spells `latin-1`, `iso8859_15` or
 * `cp1252` where the WHATWG list has `latin1`, `iso-8859-15` and `windows-1252`.
 */
function whatwgLabel(codec: string): string {
  const name = codec.toLowerCase().replace(/_/g, '-');
  if (/^(latin-?1|l1|iso-?8859-1)$/.test(name)) return 'latin1';
  const iso = /^iso-?8859-(\d+)$/.exec(name);
  if (iso) return `iso-8859-${iso[1]}`;
  const windows = /^(?:cp|windows-)(125\d)$/.exec(name);
  if (windows) return `windows-${windows[1]}`;
  return name;
}

export function decodePythonSource(bytes: Uint8Array): DecodedSource {
  const sniff = bytes.subarray(0, 8192);
  if (sniff.includes(0)) return { kind: 'binary' };
  const notes: string[] = [];
  const encoding = declaredEncoding(bytes);
  if (encoding && !/^(utf-?8|utf_8)(-sig)?$/.test(encoding)) {
    try {
      return { kind: 'text', text: new TextDecoder(encoding).decode(bytes), notes };
    } catch {
      notes.push(`unknown coding '${encoding}', read as UTF-8`);
    }
  }
  try {
    return { kind: 'text', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), notes };
  } catch {
    notes.push('not valid UTF-8: invalid bytes were replaced with U+FFFD');
    return { kind: 'text', text: new TextDecoder('utf-8').decode(bytes), notes };
  }
}
