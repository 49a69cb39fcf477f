/**
 * `--trace FILE`: every record of the run as JSON lines (trace version 2,
 * runtime/trace/json.ts), written as it arrives, so the file is complete up
 * to the last record even when the run is cut short, and a long run's file
 * holds everything while memory holds only a window.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { recordToJson } from '../trace/json.ts';
import type { TraceRecord } from '../trace/records.ts';
import { UsageError } from './cli-errors.ts';

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'its folder does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'that is a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

function problemOf(error: unknown): string {
  return FILE_PROBLEMS[(error as { code?: string }).code ?? ''] ?? (error as Error).message;
}

export class TraceFile {
  private fd: number | null;
  /** Why writing stopped, once it has. */
  failure: string | null = null;

  /** Open (and empty) the file before anything runs, so that a bad path fails at once. Throws UsageError. */
  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (error) {
      throw new UsageError(`cannot write the trace to "${path}": ${problemOf(error)}`);
    }
  }

  /** Append one record; on failure note why (the run is then stopped by its owner) and write no more. */
  write(record: TraceRecord): boolean {
    if (this.fd === null) return false;
    try {
      const bytes = Buffer.from(recordToJson(record) + '\n', 'utf8');
      // writeSync may write less than asked (a signal, a pipe): go on from where it stopped.
      for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done);
      return true;
    } catch (error) {
      this.failure = `cannot write the trace to "${this.path}": ${problemOf(error)}`;
      this.close();
      return false;
    }
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    closeSync(fd);
  }
}
