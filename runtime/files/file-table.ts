/**
 * A run's file calls: each one carried out on the run's folder and recorded
 * in the run's trace, on the lane of the actor that made it, with the state
 * it was made from. One table per run, shared by every actor in it; the
 * sibling of the socket table (runtime/run/socket-table.ts).
 *
 * On success a call records its record; on failure a `fileError` record
 * (or `fileCancel`, when the actor's state was left and the signal aborted
 * the call) and rejects with the FileError.
 *
 * Browser-safe: the folder decides whether the files are real.
 */
import type { CallSite } from '../../machines/socket-calls.ts';
import type { FileCallName, ListInput, ListOutput } from '../../machines/file-calls.ts';
import type { Trace } from '../trace/trace.ts';
import { FileError, isFileError, type Folder } from './types.ts';

export class FileTable {
  constructor(
    /** The run's folder; null when the run was given none (every call fails with ENOFOLDER). */
    private readonly folder: Folder | null,
    private readonly trace: Trace,
  ) {}

  async list(input: ListInput, site: CallSite, signal?: AbortSignal): Promise<ListOutput> {
    const names = await this.attempt('list', input.path, site, signal, (folder) => folder.list(input.path, { signal }));
    this.trace.add({ type: 'list', ...site, path: input.path, names });
    return { names };
  }

  /** Run a folder call; record its failure (or cancellation) and rethrow it as a FileError. */
  private async attempt<T>(
    op: FileCallName,
    path: string,
    site: CallSite,
    signal: AbortSignal | undefined,
    call: (folder: Folder) => Promise<T>,
  ): Promise<T> {
    try {
      if (this.folder === null) throw new FileError('ENOFOLDER', 'this run has no folder');
      const result = await call(this.folder);
      // The machine left its state while the call ran: it will never see the result.
      if (signal?.aborted === true) throw new FileError('ECANCELED', `${op} was cancelled`);
      return result;
    } catch (error) {
      const e = isFileError(error) ? error : new FileError('EIO', error instanceof Error ? error.message : String(error));
      if (e.code === 'ECANCELED') this.trace.add({ type: 'fileCancel', ...site, op, path });
      else this.trace.add({ type: 'fileError', ...site, op, path, code: e.code, message: e.message });
      throw e;
    }
  }
}
