/**
 * The seam between machines' file calls (machines/file-calls.ts) and a
 * folder: a virtual one in memory (memory-folder.ts, browser-safe) or a
 * real one on disk (real-folder.ts, Node only). The run's FileTable calls
 * it and records each call in the trace.
 *
 * Every path is relative to the folder, '/' between names (see paths.ts);
 * no path leads outside it. Every failure rejects with a `FileError`.
 *
 * Browser-safe: no `node:` import.
 */

/** Where a folder lives: in memory (the page, tests, simulated runs) or on disk (live runs). */
export type FolderKind = 'memory' | 'disk';

export interface FileCallOptions {
  /** Aborting it cancels the call: it rejects with ECANCELED. */
  readonly signal?: AbortSignal;
}

export interface Folder {
  readonly kind: FolderKind;
  /** For messages: the real path on disk, or 'a virtual folder'. */
  readonly where: string;
  /**
   * The names in the folder at `path` (files and folders alike, '.' and
   * '..' never), sorted by code point. A name whose bytes are not UTF-8
   * holds one lone surrogate U+DC80..U+DCFF per such byte.
   */
  list(path: string, options?: FileCallOptions): Promise<string[]>;
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
