/**
 * A run's file calls: each one carried out on a folder and recorded in the
 * run's trace, on the lane of the actor that made it, with the state it
 * was made from. One table per run, shared by every actor in it; the
 * sibling of the socket table (runtime/run/socket-table.ts).
 *
 * Open files are plain handle ids in a machine's context ('f1', 'f2', ...,
 * one series per run), as sockets are; the table keeps, for each, the file,
 * the path it was opened by, its mode and where the next read or write
 * goes. A read or write record says which bytes: the path, the offset and
 * the bytes themselves, so the page can show a file as it was at any step.
 *
 * Each call works on the folder of the program making it: the run's, or
 * the program's own (RunSystem.start(..., { folder })), given as `where`.
 * An open file stays with the folder it was opened in.
 *
 * On success a call records its record; on failure a `fileError` record
 * (or `fileCancel`, when the actor's state was left and the signal aborted
 * the call) and rejects with the FileError. A cancelled call that had no
 * effect yet (list, stat, read, open) is undone and recorded as cancelled;
 * one whose effect has happened (a write, a rename) is recorded as done.
 *
 * When the run stops, `closeAll()` closes what is still open and throws
 * away every temporary file of 'replace' and 'new': a run that was
 * interrupted leaves no half-written file under the real name.
 *
 * Browser-safe: the folder decides whether the files are real.
 */
import type {
  CloseFileInput,
  FileCallName,
  FileEntry,
  ListInput,
  ListOutput,
  OpenFileInput,
  OpenFileOutput,
  OpenMode,
  PathInput,
  ReadFileInput,
  RenameInput,
  ScandirOutput,
  WriteFileInput,
} from '../../machines/file-calls.ts';
import type { CallSite } from '../../machines/socket-calls.ts';
import type { Trace } from '../trace/trace.ts';
import { FileError, isFileError, type Folder, type OpenedFile } from './types.ts';

/** The most one readFile may ask for: a program reads a file in pieces, as Python's f.read(n) with a sane n. */
export const MAX_READ_BYTES = 16 * 1024 * 1024;

/** Reads and writes on open files by handle, unrecorded (see FileTable.streams). */
export interface HandleStreams {
  /** At most `max` bytes from the file's position; empty at its end. */
  read(file: string, max: number, signal?: AbortSignal): Promise<Uint8Array>;
  /** All of `bytes` at the file's position. */
  write(file: string, bytes: Uint8Array, signal?: AbortSignal): Promise<void>;
}

interface OpenHandle {
  id: string;
  file: OpenedFile;
  path: string;
  mode: OpenMode;
  /** Where the next read or write goes. */
  position: bigint;
  /** Who opened it: its lane, for the record closeAll leaves. */
  actor: string;
}

/** Whether a mode writes into a temporary file that closeFile renames into place. */
function isReplacing(mode: OpenMode): boolean {
  return mode === 'replace' || mode === 'new';
}

/** Read through a function, so that a check after an `await` is not narrowed away by one before it. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function asFileError(error: unknown): FileError {
  return isFileError(error) ? error : new FileError('EIO', error instanceof Error ? error.message : String(error));
}

export class FileTable {
  private readonly files = new Map<string, OpenHandle>();
  private count = 0;
  private stopped = false;

  constructor(
    /** The run's folder; null when the run was given none (every call fails with ENOFOLDER). */
    private readonly folder: Folder | null,
    private readonly trace: Trace,
  ) {}

  async list(input: ListInput, site: CallSite, signal?: AbortSignal, where?: Folder | null): Promise<ListOutput> {
    const names = await this.attempt('list', input.path, site, signal, () => this.folderFor(where).list(input.path, { signal }));
    this.trace.add({ type: 'list', ...site, path: input.path, names });
    return { names };
  }

  async scandir(input: PathInput, site: CallSite, signal?: AbortSignal, where?: Folder | null): Promise<ScandirOutput> {
    const entries = await this.attempt('scandir', input.path, site, signal, () => this.folderFor(where).scandir(input.path, { signal }));
    this.trace.add({ type: 'scandir', ...site, path: input.path, count: entries.length });
    return { entries };
  }

  async stat(input: PathInput, site: CallSite, signal?: AbortSignal, where?: Folder | null): Promise<FileEntry> {
    const entry = await this.attempt('stat', input.path, site, signal, () => this.folderFor(where).stat(input.path, { signal }));
    this.trace.add({ type: 'stat', ...site, path: input.path, kind: entry.kind, size: entry.size.toString() });
    return entry;
  }

  async openFile(input: OpenFileInput, site: CallSite, signal?: AbortSignal, where?: Folder | null): Promise<OpenFileOutput> {
    const { path, mode } = input;
    const start = input.offset ?? 0n;
    const file = await this.attempt('openFile', path, site, signal, async () => {
      if (start < 0n || (start !== 0n && mode !== 'read' && mode !== 'update')) {
        throw new FileError('EINVAL', `an offset (${start}) is for 'read' and 'update' only, and never below 0`);
      }
      const opened = await this.folderFor(where).open(path, mode, { signal });
      // Left the state while it opened, or the run stopped: nobody will ever close it.
      if (isAborted(signal) || this.stopped) {
        await opened.discard();
        throw new FileError('ECANCELED', this.stopped ? 'the run stopped while the file was being opened' : 'openFile was cancelled');
      }
      return opened;
    });
    this.count += 1;
    const id = `f${this.count}`;
    const position = mode === 'append' ? file.size : start;
    this.files.set(id, { id, file, path, mode, position, actor: site.actor });
    this.trace.add({ type: 'openFile', ...site, path, mode, file: id, offset: position.toString() });
    return { file: id, size: file.size };
  }

  async readFile(input: ReadFileInput, site: CallSite, signal?: AbortSignal): Promise<Uint8Array> {
    const open = this.handleOf(input.file, 'readFile', site);
    const bytes = await this.attempt('readFile', open.path, site, signal, async () => {
      if (!(Number.isSafeInteger(input.max) && input.max >= 1 && input.max <= MAX_READ_BYTES)) {
        throw new FileError('EINVAL', `readFile reads 1 to ${MAX_READ_BYTES} bytes at a time (asked for ${input.max})`);
      }
      return open.file.read(open.position, input.max, { signal });
    });
    const offset = open.position;
    open.position += BigInt(bytes.length);
    this.trace.add({ type: 'readFile', ...site, file: open.id, path: open.path, offset: Number(offset), size: bytes.length, data: bytes });
    return bytes;
  }

  async writeFile(input: WriteFileInput, site: CallSite, signal?: AbortSignal): Promise<number> {
    const open = this.handleOf(input.file, 'writeFile', site);
    const { bytes } = input;
    const offset = open.position;
    // Once the write starts it happens: a cancellation after it is not one.
    await this.attempt('writeFile', open.path, site, signal, () => open.file.write(offset, bytes, { signal }), 'done');
    open.position = offset + BigInt(bytes.length);
    // Machines never write into bytes they have handed over (they are pure), so the record keeps these.
    this.trace.add({ type: 'writeFile', ...site, file: open.id, path: open.path, offset: Number(offset), size: bytes.length, data: bytes });
    return bytes.length;
  }

  async closeFile(input: CloseFileInput, site: CallSite, signal?: AbortSignal): Promise<void> {
    const open = this.handleOf(input.file, 'closeFile', site);
    this.files.delete(open.id);
    const discarded = input.discard === true && isReplacing(open.mode);
    await this.attempt('closeFile', open.path, site, signal, () => (input.discard === true ? open.file.discard() : open.file.close()), 'done');
    this.trace.add({ type: 'closeFile', ...site, file: open.id, path: open.path, ...(discarded ? { discarded: true } : {}) });
  }

  async rename(input: RenameInput, site: CallSite, signal?: AbortSignal, where?: Folder | null): Promise<void> {
    await this.attempt('rename', input.from, site, signal, () => this.folderFor(where).rename(input.from, input.to, { signal }), 'done');
    this.trace.add({ type: 'rename', ...site, path: input.from, to: input.to });
  }

  async remove(input: PathInput, site: CallSite, signal?: AbortSignal, where?: Folder | null): Promise<void> {
    await this.attempt('remove', input.path, site, signal, () => this.folderFor(where).remove(input.path, { signal }), 'done');
    this.trace.add({ type: 'remove', ...site, path: input.path });
  }

  async makeFolder(input: PathInput, site: CallSite, signal?: AbortSignal, where?: Folder | null): Promise<void> {
    await this.attempt('makeFolder', input.path, site, signal, () => this.folderFor(where).makeFolder(input.path, { signal }), 'done');
    this.trace.add({ type: 'makeFolder', ...site, path: input.path });
  }

  async removeFolder(input: PathInput, site: CallSite, signal?: AbortSignal, where?: Folder | null): Promise<void> {
    await this.attempt('removeFolder', input.path, site, signal, () => this.folderFor(where).removeFolder(input.path, { signal }), 'done');
    this.trace.add({ type: 'removeFolder', ...site, path: input.path });
  }

  /**
   * The run is over (its end, Ctrl-C): close every file still open, and
   * throw away what 'replace' and 'new' files were writing, so that no
   * half-written file takes its name. Each thrown-away file leaves a
   * `closeFile` record `discarded: true`, on the lane of who opened it.
   */
  async closeAll(): Promise<void> {
    this.stopped = true;
    const open = [...this.files.values()];
    this.files.clear();
    await Promise.allSettled(
      open.map(async (h) => {
        if (!isReplacing(h.mode)) return h.file.close();
        await h.file.discard();
        this.trace.add({ type: 'closeFile', actor: h.actor, file: h.id, path: h.path, discarded: true });
      }),
    );
  }

  /**
   * Reads and writes on open files without a record per call, for a call
   * that moves a whole file and records a summary itself (a transfer,
   * runtime/run/transfer-table.ts). Positions move as with readFile and
   * writeFile, so records made afterwards have the right offsets. A handle
   * that is not open fails with EBADF.
   */
  streams(): HandleStreams {
    const handle = (file: string) => {
      const open = this.files.get(file);
      if (open === undefined) throw new FileError('EBADF', `file ${file} is not open`);
      return open;
    };
    return {
      read: async (file, max, signal) => {
        const open = handle(file);
        const bytes = await open.file.read(open.position, max, { signal });
        open.position += BigInt(bytes.length);
        return bytes;
      },
      write: async (file, bytes, signal) => {
        const open = handle(file);
        const at = open.position;
        open.position = at + BigInt(bytes.length);
        await open.file.write(at, bytes, { signal });
      },
    };
  }

  /** How many files are open: for tests that check a run leaves nothing behind. */
  get openCount(): number {
    return this.files.size;
  }

  /** The folder a call works in: the program's own (`where`), else the run's. */
  private folderFor(where: Folder | null | undefined): Folder {
    const folder = where === undefined ? this.folder : where;
    if (folder === null) throw new FileError('ENOFOLDER', 'this run has no folder');
    return folder;
  }

  private handleOf(file: string, op: FileCallName, site: CallSite): OpenHandle {
    const found = this.files.get(file);
    if (found !== undefined) return found;
    const message = `file ${file} is not open`;
    this.trace.add({ type: 'fileError', ...site, op, path: file, code: 'EBADF', message });
    throw new FileError('EBADF', message);
  }

  /**
   * Run a folder call; record its failure (or cancellation) and rethrow it
   * as a FileError. `after: 'undo'` (the default) turns a call that
   * finished after its state was left into a cancellation; 'done' keeps it.
   */
  private async attempt<T>(
    op: FileCallName,
    path: string,
    site: CallSite,
    signal: AbortSignal | undefined,
    call: () => Promise<T>,
    after: 'undo' | 'done' = 'undo',
  ): Promise<T> {
    try {
      if (signal?.aborted === true) throw new FileError('ECANCELED', `${op} was cancelled`);
      const result = await call();
      // The machine left its state while the call ran: it will never see the result.
      if (after === 'undo' && isAborted(signal)) throw new FileError('ECANCELED', `${op} was cancelled`);
      return result;
    } catch (error) {
      const e = asFileError(error);
      if (e.code === 'ECANCELED') this.trace.add({ type: 'fileCancel', ...site, op, path });
      else this.trace.add({ type: 'fileError', ...site, op, path, code: e.code, message: e.message });
      throw e;
    }
  }
}
