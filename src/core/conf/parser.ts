// mosquitto.conf parser that sees lines the way mosquitto 2.0.11's config__read_file_core does:
// lines end at LF only (trailing CR/LF stripped), a line is skipped when its first byte is '#', LF or
// CR, words are separated by ' ' only (a tab is part of a word), option names are case-sensitive,
// and string values are the rest of the line with blanks trimmed ('#' is not a comment there).
// A NUL byte ends what mosquitto sees of a line and, because its line reader then never finds the
// line's end, swallows the rest of the file.

import type { BridgeSection, ConfLine, ConfSection, ConfToken, ListenerSection, ParsedConf } from './types';

/** Parser output plus what the linter needs and the public shape leaves out. */
export interface ParsedInternal {
  conf: ParsedConf;
  /** Line texts as mosquitto sees them: trailing CR/LF stripped, cut at a NUL byte. */
  texts: string[];
  /** 0-based line holding the first NUL byte (everything after it is unseen by mosquitto), or -1. */
  nulLine: number;
  /** Column of that NUL byte. */
  nulColumn: number;
}

const SPACE = 0x20;

/** isspace() of the C locale. */
export function isCSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Splits a line on ' ' only, as strtok_r(…, " ", …) does. */
export function splitTokens(text: string): ConfToken[] {
  const out: ConfToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && text.charCodeAt(i) === SPACE) {
      i++;
    }
    if (i >= n) {
      break;
    }
    const start = i;
    while (i < n && text.charCodeAt(i) !== SPACE) {
      i++;
    }
    out.push({ text: text.slice(start, i), start, end: i });
  }
  return out;
}

/** What conf__parse_string receives: everything after the name's delimiter, blanks trimmed; undefined when empty. */
export function restOf(text: string, nameEnd: number): ConfToken | undefined {
  let s = nameEnd + 1;
  let e = text.length;
  while (s < e && isCSpace(text.charCodeAt(s))) {
    s++;
  }
  while (e > s && isCSpace(text.charCodeAt(e - 1))) {
    e--;
  }
  if (s >= e) {
    return undefined;
  }
  return { text: text.slice(s, e), start: s, end: e };
}

/** Scans a C integer the way strtol(…, 10) does; returns the exact value as a BigInt only when needed. */
function scanLong(s: string): { small: number; big?: bigint } {
  let i = 0;
  const n = s.length;
  while (i < n && isCSpace(s.charCodeAt(i))) {
    i++;
  }
  let neg = false;
  const c0 = s.charCodeAt(i);
  if (c0 === 0x2b || c0 === 0x2d) {
    neg = c0 === 0x2d;
    i++;
  }
  const start = i;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) {
      break;
    }
    i++;
  }
  if (i === start) {
    return { small: 0 };
  }
  const digits = s.slice(start, i);
  if (digits.length <= 15) {
    const v = Number(digits);
    return { small: neg ? -v : v };
  }
  let v = BigInt(digits);
  if (neg) {
    v = -v;
  }
  const max = 9223372036854775807n;
  const min = -9223372036854775808n;
  if (v > max) {
    v = max;
  } else if (v < min) {
    v = min;
  }
  return { small: Number(v), big: v };
}

/** C atoi() as glibc does it: strtol clamped to a 64-bit long, then truncated to a 32-bit int. */
export function atoi(s: string): number {
  const r = scanLong(s);
  if (r.big !== undefined) {
    return Number(BigInt.asIntN(32, r.big));
  }
  return r.small | 0;
}

/** C atol() on a 64-bit long (large values approximate, sign exact). */
export function atol(s: string): number {
  return scanLong(s).small;
}

/** Options after which the lines of a file belong to a new section. */
function headerKind(name: string): 'listener' | 'bridge' | 'port' | undefined {
  switch (name) {
    case 'listener':
      return 'listener';
    case 'connection':
      return 'bridge';
    case 'port':
    case 'bind_address':
      return 'port';
    default:
      return undefined;
  }
}

/** Options of the listener they follow (for the CodeLens details). */
const LISTENER_DETAIL = new Set(['protocol', 'cafile', 'capath', 'certfile', 'keyfile', 'psk_hint', 'require_certificate']);

export function parseConfInternal(text: string, file: string): ParsedInternal {
  const lines: ConfLine[] = [];
  const texts: string[] = [];
  const sections: ConfSection[] = [];
  let perListenerSettings = false;
  let nulLine = -1;
  let nulColumn = -1;

  let current = -1; // section the following lines belong to
  let curListener: ListenerSection | undefined; // cur_listener (undefined = mosquitto's default listener)
  let defaultSection: ListenerSection | undefined; // the `port`/`bind_address` pseudo-section

  const src = typeof text === 'string' ? text : '';
  const n = src.length;
  let pos = 0;
  let lineNo = 0;
  while (pos <= n) {
    let nl = src.indexOf('\n', pos);
    if (nl < 0) {
      nl = n;
    }
    if (pos === n && nl === n && lineNo > 0) {
      // Text ends with a newline: no further line.
      break;
    }
    let t = src.slice(pos, nl);
    pos = nl + 1;
    const line = lineNo++;

    if (nulLine >= 0) {
      // Swallowed by mosquitto's line reader after a NUL byte.
      texts.push('');
      lines.push({ line, kind: 'comment', args: [], section: current });
      continue;
    }
    const z = t.indexOf('\0');
    if (z >= 0) {
      nulLine = line;
      nulColumn = z;
      t = t.slice(0, z);
      if (src.endsWith('\n')) {
        // mosquitto's line reader keeps looking for this line's end until EOF, then returns nothing.
        texts.push('');
        lines.push({ line, kind: 'comment', args: [], section: current });
        continue;
      }
    }
    let e = t.length;
    while (e > 0 && (t.charCodeAt(e - 1) === 0x0d || t.charCodeAt(e - 1) === 0x0a)) {
      e--;
    }
    if (e !== t.length) {
      t = t.slice(0, e);
    }
    texts.push(t);
    const first = t.charCodeAt(0);
    if (first === 0x23 /* # */) {
      lines.push({ line, kind: 'comment', args: [], section: current });
      continue;
    }
    if (t.length === 0 || first === 0x0d) {
      lines.push({ line, kind: 'blank', args: [], section: current });
      continue;
    }
    const toks = splitTokens(t);
    const nameTok = toks[0];
    if (!nameTok) {
      lines.push({ line, kind: 'blank', args: [], section: current });
      continue;
    }
    const args = toks.slice(1);
    const name = nameTok.text;
    const hk = headerKind(name);
    if (hk === 'listener') {
      const first = args[0];
      const port = first ? atoi(first.text) : 0;
      const addrTok = args[1] && !args[1].text.startsWith('#') ? args[1] : undefined;
      const sec: ListenerSection = { kind: 'listener', line, endLine: line, port, protocol: 'mqtt', tls: false };
      if (addrTok) {
        sec.bindAddress = addrTok.text;
        if (port === 0) {
          sec.socketPath = true;
        }
      }
      sections.push(sec);
      current = sections.length - 1;
      curListener = sec;
    } else if (hk === 'bridge') {
      const sec: BridgeSection = { kind: 'bridge', line, endLine: line, name: args[0]?.text ?? '', addresses: [] };
      sections.push(sec);
      current = sections.length - 1;
    } else if (hk === 'port') {
      if (!defaultSection) {
        defaultSection = { kind: 'listener', line, endLine: line, port: 1883, protocol: 'mqtt', tls: false, defaultListener: true };
        sections.push(defaultSection);
        current = sections.length - 1;
      }
      if (name === 'port') {
        const p = args[0] ? atoi(args[0].text) : 0;
        if (p >= 1 && p <= 65535) {
          defaultSection.port = p;
        }
      } else {
        const r = restOf(t, nameTok.end);
        if (r) {
          defaultSection.bindAddress = r.text;
        }
      }
    }
    const cl: ConfLine = { line, kind: 'option', name: nameTok, args, section: current };
    const rest = restOf(t, nameTok.end);
    if (rest) {
      cl.rest = rest;
    }
    lines.push(cl);
    const sec = sections[current];
    if (sec) {
      sec.endLine = line;
    }

    if (name === 'per_listener_settings') {
      const v = args[0]?.text;
      if (v === 'true' || v === '1') {
        perListenerSettings = true;
      } else if (v === 'false' || v === '0') {
        perListenerSettings = false;
      }
    } else if (name === 'address' || name === 'addresses') {
      const b = sections[current];
      if (b && b.kind === 'bridge') {
        for (const a of args) {
          if (a.text.startsWith('#')) {
            break;
          }
          b.addresses.push(a.text);
        }
      }
    } else if (LISTENER_DETAIL.has(name)) {
      const target = curListener ?? defaultSection;
      if (target) {
        applyDetail(target, name, args, rest);
      }
    }
  }
  const conf: ParsedConf = { file, lines, sections, perListenerSettings };
  return { conf, texts, nulLine, nulColumn };
}

function applyDetail(sec: ListenerSection, name: string, args: ConfToken[], rest: ConfToken | undefined): void {
  const v = args[0]?.text;
  switch (name) {
    case 'protocol':
      if (v === 'websockets' || v === 'mqtt') {
        sec.protocol = v;
      }
      return;
    case 'require_certificate':
      sec.requireCertificate = v === 'true' || v === '1';
      return;
    case 'cafile':
    case 'capath':
    case 'certfile':
    case 'keyfile':
      if (rest && sec[name] === undefined) {
        sec[name] = rest.text;
      }
      break;
    case 'psk_hint':
      if (rest) {
        sec.tls = true;
      }
      return;
    default:
      return;
  }
  if (sec.certfile !== undefined && sec.keyfile !== undefined) {
    sec.tls = true;
  }
}

/** Parses a mosquitto.conf text. Never throws. */
export function parseConf(text: string, file: string): ParsedConf {
  try {
    return parseConfInternal(text, file).conf;
  } catch {
    return { file, lines: [], sections: [], perListenerSettings: false };
  }
}
