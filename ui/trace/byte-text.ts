/**
 * Bytes as a learner should see them: hex, and UTF-8 text in which
 * invalid bytes and control characters stay visible instead of turning
 * into '�' or vanishing.
 */

export type TextPiece =
  /** Printable, valid UTF-8 text. */
  | { kind: 'text'; text: string }
  /** A control character, written as Python would: '\r', '\n', '\t', '\x00'. */
  | { kind: 'control'; text: string }
  /** Bytes that are not valid UTF-8 here, written as hex: '\xff'. */
  | { kind: 'invalid'; text: string };

const strict = new TextDecoder('utf-8', { fatal: true });

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

/** '59 6f 75'. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (i === 0 ? '' : ' ') + hex2(bytes[i]!);
  return out;
}

const CONTROL_NAMES: Record<number, string> = { 9: '\\t', 10: '\\n', 13: '\\r' };

function controlText(code: number): string {
  return CONTROL_NAMES[code] ?? `\\x${hex2(code)}`;
}

/** Split decoded text into printable runs and control characters. */
function splitControls(text: string, out: TextPiece[]): void {
  let run = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) {
      if (run !== '') out.push({ kind: 'text', text: run });
      run = '';
      out.push({ kind: 'control', text: controlText(code) });
    } else {
      run += ch;
    }
  }
  if (run !== '') out.push({ kind: 'text', text: run });
}

/** How many bytes the UTF-8 sequence starting with this byte should have (1 for an invalid lead byte). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

/**
 * Decode bytes as UTF-8. The common case (valid text) is one strict decode;
 * otherwise each sequence is tried on its own and the bytes that fail are
 * kept as hex, so '\xff' in the data shows as '\xff', not as '�'.
 */
export function decodeBytes(bytes: Uint8Array): TextPiece[] {
  const out: TextPiece[] = [];
  try {
    splitControls(strict.decode(bytes), out);
    return out;
  } catch {
    // Not valid UTF-8 as a whole: find the bad bytes.
  }
  let valid = '';
  let invalid = '';
  const flushValid = () => {
    if (valid !== '') splitControls(valid, out);
    valid = '';
  };
  const flushInvalid = () => {
    if (invalid !== '') out.push({ kind: 'invalid', text: invalid });
    invalid = '';
  };
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes[i]!);
    let decoded: string | null = null;
    if (bytes[i]! < 0x80) {
      decoded = String.fromCharCode(bytes[i]!);
    } else if (n > 1 && i + n <= bytes.length) {
      try {
        decoded = strict.decode(bytes.subarray(i, i + n));
      } catch {
        decoded = null;
      }
    }
    if (decoded === null) {
      flushValid();
      invalid += `\\x${hex2(bytes[i]!)}`;
      i += 1;
    } else {
      flushInvalid();
      valid += decoded;
      i += n;
    }
  }
  flushValid();
  flushInvalid();
  return out;
}

/**
 * Where to cut a long byte string for a preview so that a multi-byte
 * character is not split (which would show its first half as invalid).
 */
export function previewCut(bytes: Uint8Array, max: number): number {
  if (bytes.length <= max) return bytes.length;
  let cut = max;
  // Back off over continuation bytes (10xxxxxx), at most three of them.
  while (cut > max - 3 && cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return cut;
}

/** One line of a hex dump: up to `BYTES_PER_LINE` bytes as hex, and the same bytes as text. */
export interface DumpLine {
  /** Offset of the line's first byte. */
  offset: number;
  hex: string;
  text: TextPiece[];
}

/** Bytes per line of a dump, as `hexdump -C` and Wireshark show them. */
export const BYTES_PER_LINE = 16;

/**
 * Bytes as dump lines: each line's hex and, beside it, the text of the same
 * bytes. A character whose UTF-8 bytes straddle two lines is shown on the
 * line where it starts, so the text column never splits a character.
 */
export function dumpLines(bytes: Uint8Array, perLine = BYTES_PER_LINE): DumpLine[] {
  const lines: DumpLine[] = [];
  for (let offset = 0; offset < bytes.length; offset += perLine) {
    lines.push({ offset, hex: toHex(bytes.subarray(offset, offset + perLine)), text: [] });
  }
  let i = 0;
  while (i < bytes.length) {
    const line = lines[Math.floor(i / perLine)]!;
    const n = sequenceLength(bytes[i]!);
    let decoded: string | null = null;
    if (bytes[i]! < 0x80) decoded = String.fromCharCode(bytes[i]!);
    else if (n > 1 && i + n <= bytes.length) {
      try {
        decoded = strict.decode(bytes.subarray(i, i + n));
      } catch {
        decoded = null;
      }
    }
    if (decoded === null) {
      line.text.push({ kind: 'invalid', text: `\\x${hex2(bytes[i]!)}` });
      i += 1;
    } else {
      splitControls(decoded, line.text);
      i += n;
    }
  }
  for (const line of lines) line.text = mergePieces(line.text);
  return lines;
}

/** Join neighbouring pieces of the same kind: 'ab' rather than 'a', 'b'. */
function mergePieces(pieces: TextPiece[]): TextPiece[] {
  const out: TextPiece[] = [];
  for (const p of pieces) {
    const last = out.at(-1);
    if (last !== undefined && last.kind === p.kind && p.kind !== 'control') last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}
