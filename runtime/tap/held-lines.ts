/**
 * Bytes of one direction of a control connection, passed on as they come,
 * except a line that may have to be rewritten: that one is held back until
 * its line end arrives, then handed to `rewrite`.
 *
 *   "USER anon\r\nPO"  → "USER anon\r\n" passes at once; "PO" is held
 *   "RT 127,0,0,1,4,1\r\n" → "PORT 127,0,0,1,4,1\r\n" goes to rewrite()
 *
 * Only lines that start like one of `starts` are held, so every other byte
 * (a Python ftplib "ABOR" CR with no LF after it, a file name that never
 * ends) goes on at once, unchanged. A held line that grows past the FTP
 * core's line limit is no command or reply we rewrite: it is passed on
 * and the rest of it follows unchanged, so the tap never buffers more than
 * one limit's worth.
 *
 * This finds line ends only to know where a held line stops; what a line
 * means is for the FTP core's parsers (ftp-control.ts). Browser-safe.
 */
import { concatBytes } from '../../machines/bytes.ts';
import { CR, LF } from '../../machines/ftp/protocol/text.ts';

export interface HeldLinesOptions {
  /** Line starts worth holding ('PORT ', '227 '), compared without regard to ASCII case. */
  starts: readonly string[];
  /** Longest line held, not counting its line end. */
  maxLineBytes: number;
  /**
   * A held line, complete with its line end, and where it starts in the
   * stream; resolves with the bytes to send in its place, or null to send
   * it unchanged.
   */
  rewrite(line: Uint8Array, offset: number): Promise<Uint8Array | null>;
  /** Sees every byte of the stream, in order, before it is sent (and a held line before `rewrite`). */
  observe?(bytes: Uint8Array): void;
}

export class HeldLines {
  /** The start of a line worth holding whose LF has not come yet. */
  private held: Uint8Array | null = null;
  /** The next byte starts a line. */
  private atLineStart = true;
  /** Stream offset of the next byte fed. */
  private offset = 0;
  private readonly starts: Uint8Array[];

  constructor(private readonly options: HeldLinesOptions) {
    this.starts = options.starts.map((s) => new TextEncoder().encode(s.toUpperCase()));
  }

  /** Bytes held back so far (at most one line's limit). */
  get heldBytes(): number {
    return this.held?.length ?? 0;
  }

  /**
   * Take a chunk; resolves with what to send now, in order. A line held
   * from an earlier chunk comes out with the chunk that ends it.
   */
  async feed(chunk: Uint8Array): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    const pass = (bytes: Uint8Array) => {
      if (bytes.length === 0) return;
      this.options.observe?.(bytes);
      out.push(bytes);
    };
    const base = this.offset;
    this.offset += chunk.length;
    let i = 0;
    while (i < chunk.length) {
      const lf = chunk.indexOf(LF, i);
      const end = lf < 0 ? chunk.length : lf + 1;
      const part = chunk.subarray(i, end);
      if (this.held === null && !this.atLineStart) {
        // The rest of a line not worth holding.
        pass(part);
      } else {
        const held = this.held;
        const line = held === null ? part : concatBytes(held, part);
        const lineOffset = base + i - (held?.length ?? 0);
        this.held = null;
        if (!this.worthHolding(line)) {
          pass(line);
        } else if (lf < 0) {
          // Copy: the caller may reuse the chunk's buffer for its next read.
          this.held = held === null ? line.slice() : line;
        } else {
          this.options.observe?.(line);
          out.push((await this.options.rewrite(line, lineOffset)) ?? line);
        }
      }
      this.atLineStart = lf >= 0;
      i = end;
    }
    return out;
  }

  /** The held bytes, unchanged (the stream ended before their line did). */
  flush(): Uint8Array[] {
    const held = this.held;
    this.held = null;
    if (held === null) return [];
    this.options.observe?.(held);
    return [held];
  }

  /** Does `line` (maybe incomplete) start like a line we rewrite, within the limit? */
  private worthHolding(line: Uint8Array): boolean {
    let length = line.length;
    if (line[length - 1] === LF) length -= 1;
    if (line[length - 1] === CR) length -= 1;
    // A line of exactly the limit may wait here with its CR, for its LF.
    if (length > this.options.maxLineBytes) return false;
    return this.starts.some((start) => {
      const n = Math.min(start.length, line.length);
      for (let k = 0; k < n; k++) {
        const b = line[k]!;
        // `& 0xdf` folds ASCII letters to upper case; digits and space are compared as they are.
        const folded = b >= 0x61 && b <= 0x7a ? b & 0xdf : b;
        if (folded !== start[k]) return false;
      }
      return true;
    });
  }
}
