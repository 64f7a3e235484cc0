/**
 * Character encoding of an uploaded CSV: byte-order marks, UTF-16 with or without a BOM,
 * UTF-8, and — when the first bytes are not valid UTF-8 — Windows-1252 (what Excel on
 * Windows writes as "CSV"), with a warning. Also recognises files that are not text at all
 * (an Excel workbook, a PDF, a zip), so the user is told what to export instead.
 */

import { TextDecoder } from 'node:util';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface SniffedEncoding {
  encoding: Encoding;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
  bom: boolean;
  warning: string | null;
  /** Set when the file is not text: why, and what to do. */
  notText: string | null;
}

/** How many leading bytes the sniffer wants to see (less is fine for a smaller file). */
export const SNIFF_BYTES = 64 * 1024;

const MAGIC: [number[], string][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'an Excel workbook (.xlsx) or another zip archive'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Excel workbook (.xls)'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
];

const startsWith = (buf: Uint8Array, sig: number[]) => sig.every((b, i) => buf[i] === b);

/** Offset of the first byte that breaks UTF-8 in `buf`, or -1 (a sequence cut at the end is fine). */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need > buf.length - 1) {
      // Cut at the end of the buffer: check what is there.
      for (let k = 1; i + k < buf.length; k++) if ((buf[i + k]! & 0xc0) !== 0x80) return i;
      return -1;
    }
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Decides the encoding from the first bytes of the file.
 *
 * @example
 * sniffEncoding(Buffer.from('\uFEFFa,b\n')).encoding // 'utf-8', bomLength 3
 */
export function sniffEncoding(prefix: Uint8Array): SniffedEncoding {
  const base = { bomLength: 0, bom: false, warning: null, notText: null };
  if (startsWith(prefix, [0xef, 0xbb, 0xbf]))
    return { ...base, encoding: 'utf-8', bomLength: 3, bom: true };
  if (startsWith(prefix, [0xff, 0xfe]))
    return { ...base, encoding: 'utf-16le', bomLength: 2, bom: true };
  if (startsWith(prefix, [0xfe, 0xff]))
    return { ...base, encoding: 'utf-16be', bomLength: 2, bom: true };
  for (const [sig, what] of MAGIC) {
    if (startsWith(prefix, sig)) {
      return {
        ...base,
        encoding: 'utf-8',
        notText: `the file is ${what}, not CSV text; export or save it as CSV first`,
      };
    }
  }
  const n = Math.min(prefix.length, 4096);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i++) {
    if (prefix[i] === 0) {
      if (i % 2 === 0) evenZeros++;
      else oddZeros++;
    }
  }
  const pairs = n / 2;
  if (pairs >= 2 && oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) {
    return {
      ...base,
      encoding: 'utf-16le',
      warning: 'the file is UTF-16 (little-endian) without a byte-order mark; read it as such',
    };
  }
  if (pairs >= 2 && evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) {
    return {
      ...base,
      encoding: 'utf-16be',
      warning: 'the file is UTF-16 (big-endian) without a byte-order mark; read it as such',
    };
  }
  if (evenZeros + oddZeros > 0) {
    return {
      ...base,
      encoding: 'utf-8',
      notText: 'the file contains NUL bytes: it is binary, not CSV text',
    };
  }
  const bad = firstInvalidUtf8(prefix);
  if (bad >= 0) {
    return {
      ...base,
      encoding: 'windows-1252',
      warning: `the file is not UTF-8 (byte 0x${prefix[bad]!.toString(16).padStart(2, '0')} at offset ${bad}); read it as Windows-1252 (Western European). If accented letters look wrong, save the file as "CSV UTF-8" and upload it again`,
    };
  }
  return { ...base, encoding: 'utf-8' };
}

/**
 * A streaming decoder for the sniffed encoding. UTF-8 that turns invalid after the sniffed
 * prefix is reported through `onInvalid` (once, with the byte offset) and decoded with
 * replacement characters from there on.
 */
export class StreamDecoder {
  private decoder: TextDecoder;
  private strict: boolean;
  private offset = 0;

  constructor(
    readonly encoding: Encoding,
    private readonly onInvalid: (byteOffset: number) => void,
  ) {
    this.strict = encoding === 'utf-8';
    this.decoder = new TextDecoder(encoding, { fatal: this.strict });
  }

  push(chunk: Uint8Array): string {
    const start = this.offset;
    this.offset += chunk.length;
    if (!this.strict) return this.decoder.decode(chunk, { stream: true });
    try {
      return this.decoder.decode(chunk, { stream: true });
    } catch {
      const at = firstInvalidUtf8(chunk);
      this.onInvalid(start + Math.max(at, 0));
      this.strict = false;
      this.decoder = new TextDecoder('utf-8');
      return this.decoder.decode(chunk, { stream: true });
    }
  }

  end(): string {
    try {
      return this.decoder.decode();
    } catch {
      this.onInvalid(this.offset);
      return '\ufffd';
    }
  }
}
