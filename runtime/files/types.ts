/**
 * The seam between machines' file calls (machines/file-calls.ts) and a
 * folder: a virtual one in memory (memory-folder.ts, browser-safe) or a
 * real one on disk (real-folder.ts, Node only). The run's FileTable calls
 * it, keeps the open files under handle ids and records each call in the
 * trace.
 *
 * Every path is relative to the folder, '/' between names (see paths.ts);
 * no path leads outside it, and both folders refuse the same paths the same
 * way (test/files/jail.test.ts runs one table of cases against both). Every
 * failure rejects with a `FileError`.
 *
 * Browser-safe: no `node:` import.
 */
import type { FileEntry, OpenMode } from '../../machines/file-calls.ts';

/** Where a folder lives: in memory (the page, tests, simulated runs) or on disk (live runs). */
export type FolderKind = 'memory' | 'disk';

export interface FileCallOptions {
  /** Aborting it cancels the call: it rejects with ECANCELED. */
  readonly signal?: AbortSignal;
}

/**
 * A file opened by `Folder.open`. Reads and writes name their position
 * (the FileTable keeps each handle's offset). A file opened with 'replace'
 * or 'new' is written under a temporary name beside its own: `close()`
 * renames it over the name, `discard()` removes it, and until then the old
 * file (if any) is whole under its name.
 */
export interface OpenedFile {
  readonly mode: OpenMode;
  /** The size when opened (0 for replace and new). */
  readonly size: bigint;
  /** Up to `max` bytes from `position`; empty at the end of the file. */
  read(position: bigint, max: number, options?: FileCallOptions): Promise<Uint8Array>;
  /** Write every byte at `position` (in place for append and update, into the temporary file for replace and new). */
  write(position: bigint, bytes: Uint8Array, options?: FileCallOptions): Promise<void>;
  /** Finish: a 'replace' or 'new' file takes its name now. */
  close(): Promise<void>;
  /** Finish without keeping what was written, where it can be thrown away ('replace', 'new'); the others just close. */
  discard(): Promise<void>;
}

export interface Folder {
  readonly kind: FolderKind;
  /** For messages: the real path on disk, or 'a virtual folder'. */
  readonly where: string;
  /**
   * The names in the folder at `path` (files and folders alike, '.' and
   * '..' never, temporary files of 'replace' never), sorted by code point.
   * A name whose bytes are not UTF-8 holds one lone surrogate
   * U+DC80..U+DCFF per such byte.
   */
  list(path: string, options?: FileCallOptions): Promise<string[]>;
  /** The entries of the folder at `path`, sorted by name, with sizes and times (as list, temporary files left out). */
  scandir(path: string, options?: FileCallOptions): Promise<FileEntry[]>;
  /** What is at `path`, a symbolic link followed (inside the folder only). */
  stat(path: string, options?: FileCallOptions): Promise<FileEntry>;
  open(path: string, mode: OpenMode, options?: FileCallOptions): Promise<OpenedFile>;
  /** Move `from` to `to`, replacing a file there (as os.rename does on Linux). */
  rename(from: string, to: string, options?: FileCallOptions): Promise<void>;
  /** Remove a file (not a folder: EISDIR). */
  remove(path: string, options?: FileCallOptions): Promise<void>;
  makeFolder(path: string, options?: FileCallOptions): Promise<void>;
  /** Remove an empty folder (ENOTEMPTY otherwise). */
  removeFolder(path: string, options?: FileCallOptions): Promise<void>;
}

/** A file call that failed, with a stable code (ENOENT, ENOTDIR, EOUTSIDE, ...). */
export class FileError extends Error {
  override readonly name = 'FileError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function isFileError(error: unknown): error is FileError {
  return error instanceof FileError;
}

/** Reject with ECANCELED if the call's signal has been aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, op: string): void {
  if (signal?.aborted === true) throw new FileError('ECANCELED', `${op} was cancelled`);
}
