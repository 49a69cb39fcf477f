/**
 * A file open on disk, for a real folder (real-folder.ts opens it). Node
 * only (`node:fs`).
 *
 * 'replace' and 'new' write into a temporary file beside the name, made
 * with O_CREAT | O_EXCL | O_NOFOLLOW (nobody else's file, never through a
 * link), and give it the name on close: rename() for 'replace', which is
 * atomic (POSIX rename(2): "If newpath already exists, it will be
 * atomically replaced, so that there is no point at which another process
 * attempting to access newpath will find it missing"), link() then
 * unlink() for 'new', which fails with EEXIST if the name was taken
 * meanwhile. A process killed while writing leaves the old file whole under
 * its name and the temporary file beside it (hidden, marked
 * `.sockstep-part-`); test/files/killed-writer.test.ts kills one with
 * SIGKILL to check. There is no fsync: this guards against an interrupted
 * program, not a power cut.
 */
import { promises as fs } from 'node:fs';
import type { OpenMode } from '../../machines/file-calls.ts';
import { FileError, throwIfAborted, type FileCallOptions, type OpenedFile } from './types.ts';

/** What to do with the temporary file on close: rename it over `target`, or link it there (fails if taken). */
export interface Temporary {
  path: Buffer;
  target: Buffer;
  how: 'rename' | 'link';
}

/** A Node error as a FileError (its code kept); `describe` words the message. */
export type ErrorOf = (error: unknown) => FileError;

/**
 * A position as Node takes it: a number. (Node's FileHandle.read and write
 * ignore a bigint position without a word: tried on Node 20, a write at 2n
 * went to 0.) Beyond 2^53 bytes, EFBIG.
 */
function positionOf(position: bigint): number {
  if (position > BigInt(Number.MAX_SAFE_INTEGER)) throw new FileError('EFBIG', `a position past ${Number.MAX_SAFE_INTEGER} bytes (${position}) cannot be used`);
  return Number(position);
}

export class RealFile implements OpenedFile {
  private open = true;

  constructor(
    private readonly handle: fs.FileHandle,
    readonly mode: OpenMode,
    readonly size: bigint,
    private readonly temporary: Temporary | null,
    private readonly errorOf: ErrorOf,
  ) {}

  async read(position: bigint, max: number, options: FileCallOptions = {}): Promise<Uint8Array> {
    this.check('read', options.signal);
    if (this.mode !== 'read' && this.mode !== 'update') throw new FileError('EBADF', 'the file is open for writing only');
    // Not zeroed: every byte handed back is one the read wrote (zeroing 1 MiB per read cost a tenth of a transfer's time).
    const buffer = new Uint8Array(Buffer.allocUnsafeSlow(max).buffer, 0, max);
    try {
      const { bytesRead } = await this.handle.read(buffer, 0, max, positionOf(position));
      // A short read keeps a copy of its size, not the whole buffer.
      return bytesRead * 2 < max ? buffer.slice(0, bytesRead) : buffer.subarray(0, bytesRead);
    } catch (error) {
      throw this.errorOf(error);
    }
  }

  async write(position: bigint, bytes: Uint8Array, options: FileCallOptions = {}): Promise<void> {
    this.check('write', options.signal);
    if (this.mode === 'read') throw new FileError('EBADF', 'the file is open for reading only');
    // O_APPEND writes at the end whatever the position; Node wants null there.
    let at: number | null = this.mode === 'append' ? null : positionOf(position);
    let done = 0;
    try {
      while (done < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, at);
        done += bytesWritten;
        if (at !== null) at += bytesWritten;
      }
    } catch (error) {
      throw this.errorOf(error);
    }
  }

  async close(): Promise<void> {
    this.finish();
    try {
      await this.handle.close();
      const t = this.temporary;
      if (t === null) return;
      try {
        if (t.how === 'rename') {
          await fs.rename(t.path, t.target);
        } else {
          await fs.link(t.path, t.target);
          await fs.unlink(t.path);
        }
      } catch (error) {
        // The name could not be given: what was written goes, the old file stays.
        await fs.unlink(t.path).catch(() => undefined);
        throw error;
      }
    } catch (error) {
      throw this.errorOf(error);
    }
  }

  async discard(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.handle.close().catch(() => undefined);
    if (this.temporary !== null) await fs.unlink(this.temporary.path).catch(() => undefined);
  }

  private check(op: string, signal: AbortSignal | undefined): void {
    throwIfAborted(signal, op);
    if (!this.open) throw new FileError('EBADF', 'the file is closed');
  }

  private finish(): void {
    if (!this.open) throw new FileError('EBADF', 'the file is closed');
    this.open = false;
  }
}
