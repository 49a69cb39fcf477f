/**
 * The file calls a machine can make, defined once, as the socket calls are
 * (socket-calls.ts): for each call its input, its result, the trace record
 * it leaves and the sentence that describes that record. A machine never
 * touches a file; it names these calls in `setup({ actors })` through the
 * `fileActors` placeholders, and the run binds them to its folder: a
 * virtual one on the simulated network (and in the page), a real one, given
 * with `--root`, live (runtime/files/).
 *
 *   Python                          call           record
 *   names = os.listdir(path)        list           list
 *   os.scandir(path) + stat         scandir        scandir    (entries with size, time, mode)
 *   os.stat(path)                   stat           stat
 *   f = open(path, 'rb')            openFile       openFile   mode 'read'
 *   f = open(path, 'wb')            openFile       openFile   mode 'replace' (see below)
 *   f = open(path, 'ab')            openFile       openFile   mode 'append'
 *   f = open(path, 'r+b'); f.seek() openFile       openFile   mode 'update', at `offset`
 *   data = f.read(n)                readFile       readFile   (empty at end of file)
 *   f.write(data)                   writeFile      writeFile
 *   f.close()                       closeFile      closeFile
 *   os.rename(a, b)                 rename         rename
 *   os.remove(path)                 remove         remove
 *   os.mkdir(path) / os.rmdir(path) makeFolder / removeFolder
 *
 * Files are plain handle ids ('f1', 'f2') in a machine's context, as
 * sockets are. A file opened with 'replace' (or 'new') is written under a
 * temporary name beside it and renamed over the real name by closeFile, so
 * a run that is interrupted (Ctrl-C, a killed process, an aborted FTP
 * upload) never leaves half a file under the real name: the old file stays
 * whole. closeFile with `discard: true` throws the temporary file away.
 * 'append' and 'update' write in place, where they say.
 *
 * Paths are always relative to the run's folder, with '/' between names:
 * '.' (or '') is the folder itself, 'docs/a.txt' a file in a folder in it.
 * A path never leads outside the folder: the runtime refuses one that would
 * ('..' above the top, a symbolic link pointing out) with EOUTSIDE.
 *
 * A name is text, as Python's os.listdir(str) gives it: bytes that are not
 * UTF-8 come as lone surrogates U+DC80..U+DCFF, one per byte (Python's
 * "surrogateescape"), so no name is lost or changed on its way through the
 * trace, and a program that sends a name must escape it (see
 * commands/list-protocol.ts).
 *
 * A failed call leaves a `fileError` record; a call cancelled because its
 * machine left the state that made it leaves a `fileCancel` record.
 *
 * Pure: no `node:` import, no I/O.
 */
import { fromPromise } from 'xstate';
import type { CallSite } from './socket-calls.ts';

// ---- Inputs and results --------------------------------------------------

export interface ListInput {
  /** The folder to list, relative to the run's folder: '.' for the folder itself. */
  path: string;
}
export interface ListOutput {
  /** The names in that folder (files and folders alike), sorted by code point as Python's sorted() does. */
  names: string[];
}

/** What a folder entry is. A symbolic link is reported as itself by scandir, followed by stat. */
export type EntryKind = 'file' | 'folder' | 'link' | 'other';

/** One entry of a folder, or what stat says of a path. */
export interface FileEntry {
  name: string;
  kind: EntryKind;
  /** Bytes, exact (a sparse file may be larger than 2^53). */
  size: bigint;
  /** Last modification, ms since 1970 (UTC). */
  modified: number;
  /** Permission bits (0o644), as `ls -l` shows them. */
  mode: number;
  /** Where a symbolic link points, as written in the link. */
  target?: string;
}

export interface PathInput {
  path: string;
}
export interface ScandirOutput {
  /** Sorted by name, as list's names are. */
  entries: FileEntry[];
}

/**
 * How a file is opened:
 *   read     read from the start (or from `offset`);
 *   replace  write a new content, under a temporary name until closeFile renames it over the name;
 *   new      as replace, but fails with EEXIST if the name is taken (FTP's STOU);
 *   append   write at the end, in place (created if missing);
 *   update   write from `offset`, in place (created if missing): FTP's REST then STOR.
 */
export type OpenMode = 'read' | 'replace' | 'new' | 'append' | 'update';

export interface OpenFileInput {
  path: string;
  mode: OpenMode;
  /** Where reading or writing starts ('read' and 'update'); default 0. */
  offset?: bigint;
}
export interface OpenFileOutput {
  file: string;
  /** The file's size when opened (0 for replace and new). */
  size: bigint;
}
export interface ReadFileInput {
  file: string;
  /** Read at most this many bytes (1 or more). */
  max: number;
}
export interface WriteFileInput {
  file: string;
  bytes: Uint8Array;
}
export interface CloseFileInput {
  file: string;
  /** Throw a 'replace' or 'new' file's temporary file away instead of renaming it into place. */
  discard?: boolean;
}
export interface RenameInput {
  from: string;
  to: string;
}

/** Every call, by name: its input and its result. */
export interface FileCalls {
  list: { input: ListInput; output: ListOutput };
  scandir: { input: PathInput; output: ScandirOutput };
  stat: { input: PathInput; output: FileEntry };
  openFile: { input: OpenFileInput; output: OpenFileOutput };
  /** Resolves with the bytes read; empty at end of file. */
  readFile: { input: ReadFileInput; output: Uint8Array };
  /** Resolves with how many bytes were written: all of them. */
  writeFile: { input: WriteFileInput; output: number };
  closeFile: { input: CloseFileInput; output: void };
  rename: { input: RenameInput; output: void };
  remove: { input: PathInput; output: void };
  makeFolder: { input: PathInput; output: void };
  removeFolder: { input: PathInput; output: void };
}
export type FileCallName = keyof FileCalls;
export const FILE_CALLS: readonly FileCallName[] = [
  'list',
  'scandir',
  'stat',
  'openFile',
  'readFile',
  'writeFile',
  'closeFile',
  'rename',
  'remove',
  'makeFolder',
  'removeFolder',
];

// ---- Records -------------------------------------------------------------

/** One list call: the folder and every name it holds. */
export interface ListRecord extends CallSite {
  type: 'list';
  path: string;
  names: string[];
}
/** A folder scanned: how many entries (the entries go where the program sends them). */
export interface ScandirRecord extends CallSite {
  type: 'scandir';
  path: string;
  count: number;
}
/** A path looked at. `size` is exact, as decimal text. */
export interface StatRecord extends CallSite {
  type: 'stat';
  path: string;
  kind: EntryKind;
  size: string;
}
export interface OpenFileRecord extends CallSite {
  type: 'openFile';
  path: string;
  mode: OpenMode;
  file: string;
  /** Where reading or writing starts, as decimal text. */
  offset: string;
}
/** One read: `size` bytes from `offset` (0: end of file), and the bytes. */
export interface ReadFileRecord extends CallSite {
  type: 'readFile';
  file: string;
  path: string;
  offset: number;
  size: number;
  data: Uint8Array;
}
/** One write: `size` bytes at `offset`, and the bytes. */
export interface WriteFileRecord extends CallSite {
  type: 'writeFile';
  file: string;
  path: string;
  offset: number;
  size: number;
  data: Uint8Array;
}
/** A file closed; `discarded` when a temporary file was thrown away instead of renamed into place. */
export interface CloseFileRecord extends CallSite {
  type: 'closeFile';
  file: string;
  path: string;
  discarded?: boolean;
}
export interface RenameRecord extends CallSite {
  type: 'rename';
  path: string;
  to: string;
}
/** remove, makeFolder, removeFolder: one path changed. */
export interface PathChangeRecord extends CallSite {
  type: 'remove' | 'makeFolder' | 'removeFolder';
  path: string;
}
/** A file call failed. */
export interface FileErrorRecord extends CallSite {
  type: 'fileError';
  op: FileCallName;
  path: string;
  code: string;
  message: string;
}
/** A file call was cancelled: its machine left the state that made it before it finished. */
export interface FileCancelRecord extends CallSite {
  type: 'fileCancel';
  op: FileCallName;
  path: string;
}

export type FileRecord =
  | ListRecord
  | ScandirRecord
  | StatRecord
  | OpenFileRecord
  | ReadFileRecord
  | WriteFileRecord
  | CloseFileRecord
  | RenameRecord
  | PathChangeRecord
  | FileErrorRecord
  | FileCancelRecord;
export type FileRecordType = FileRecord['type'];
export const FILE_RECORD_TYPES: ReadonlySet<string> = new Set<FileRecordType>([...FILE_CALLS, 'fileError', 'fileCancel']);

// ---- How records read ----------------------------------------------------

/** What each file error code means, in plain words, and what to try. */
export const FILE_ERROR_HINTS = {
  ENOENT: 'There is no file or folder by that name. Check the spelling, or list the folder first.',
  ENOTDIR: 'That is a file, not a folder.',
  EACCES: 'The operating system does not let this program read it. Check its permissions.',
  EOUTSIDE: 'That path leads outside the folder this program may use, so it is refused.',
  ENOFOLDER: 'This run was given no folder to work in. Start it with a folder (sockstep run ... --root FOLDER).',
  EINVAL: 'That path cannot name a file (it holds a NUL byte, say).',
  EEXIST: 'Something by that name is already there.',
  EISDIR: 'That is a folder, not a file.',
  ENOTEMPTY: 'The folder is not empty: remove what is in it first.',
  EBADF: 'That file is not open (it was closed, or never opened).',
  ENOSPC: 'The disk is full.',
  ECANCELED: 'The call was cancelled: the program moved on before it finished.',
} as const;

/** The plain-words hint for a file error code, or null for a code we do not know. */
export function fileHintFor(code: string | null | undefined): string | null {
  if (code == null || !Object.hasOwn(FILE_ERROR_HINTS, code)) return null;
  return FILE_ERROR_HINTS[code as keyof typeof FILE_ERROR_HINTS];
}

/** '3 names', '1 name'. */
function nameCount(n: number): string {
  return n === 1 ? '1 name' : `${n.toLocaleString('en-US')} names`;
}

/** The folder a path names, for sentences: 'its folder' for '.', else the path in quotes. */
function folderText(path: string): string {
  return path === '.' || path === '' ? 'its folder' : `"${path}"`;
}

/** What each open mode is for, in a sentence. */
const OPEN_WORDS: Record<OpenMode, string> = {
  read: 'read it',
  replace: 'write it anew (into a temporary file until it is closed)',
  new: 'write a new file (into a temporary file until it is closed)',
  append: 'add to its end',
  update: 'write into it',
};

/** Each record as one sentence in the words of Python's os module, and as a short label. */
export function describeFileRecord(r: FileRecord): { sentence: string; label: string } {
  switch (r.type) {
    case 'list':
      return {
        sentence: `${r.actor} lists ${folderText(r.path)}: ${nameCount(r.names.length)}.`,
        label: `listdir → ${nameCount(r.names.length)}`,
      };
    case 'scandir':
      return {
        sentence: `${r.actor} scans ${folderText(r.path)}: ${r.count === 1 ? '1 entry' : `${r.count} entries`} with their sizes and times.`,
        label: `scandir → ${r.count}`,
      };
    case 'stat':
      return { sentence: `${r.actor} looks at "${r.path}": a ${r.kind} of ${r.size} bytes.`, label: `stat → ${r.kind}` };
    case 'openFile':
      return {
        sentence: `${r.actor} opens "${r.path}" to ${OPEN_WORDS[r.mode]}${r.offset === '0' ? '' : ` from byte ${r.offset}`}: file ${r.file}.`,
        label: `open(${r.mode}) → ${r.file}`,
      };
    case 'readFile':
      return r.size === 0
        ? { sentence: `${r.actor} reads "${r.path}" and gets b'': end of file.`, label: "read → b'' (end of file)" }
        : { sentence: `${r.actor} reads ${r.size} bytes of "${r.path}" from byte ${r.offset}.`, label: `read ${r.size}` };
    case 'writeFile':
      return { sentence: `${r.actor} writes ${r.size} bytes to "${r.path}" at byte ${r.offset}.`, label: `write ${r.size}` };
    case 'closeFile':
      return r.discarded === true
        ? { sentence: `${r.actor} closes ${r.file} and throws its temporary file away: "${r.path}" is left as it was.`, label: 'close (discarded)' }
        : { sentence: `${r.actor} closes ${r.file} ("${r.path}").`, label: 'close file' };
    case 'rename':
      return { sentence: `${r.actor} renames "${r.path}" to "${r.to}".`, label: 'rename' };
    case 'remove':
      return { sentence: `${r.actor} removes "${r.path}".`, label: 'remove' };
    case 'makeFolder':
      return { sentence: `${r.actor} makes the folder "${r.path}".`, label: 'mkdir' };
    case 'removeFolder':
      return { sentence: `${r.actor} removes the folder "${r.path}".`, label: 'rmdir' };
    case 'fileError': {
      const hint = fileHintFor(r.code);
      return {
        sentence: `${r.actor}'s ${r.op} of ${folderText(r.path)} failed with ${r.code}: ${r.message}.${hint === null ? '' : ` ${hint}`}`,
        label: `${r.op} failed: ${r.code}`,
      };
    }
    case 'fileCancel':
      return {
        sentence: `${r.actor}'s ${r.op} of ${folderText(r.path)} was cancelled: the machine left the state that made it.`,
        label: `${r.op} cancelled`,
      };
  }
}

// ---- The actors machines name ---------------------------------------------

function notProvided(name: string): () => Promise<never> {
  return () =>
    Promise.reject(new Error(`The '${name}' file actor was not provided: run this machine through the runtime.`));
}

function placeholder<N extends FileCallName>(name: N) {
  return fromPromise<FileCalls[N]['output'], FileCalls[N]['input']>(notProvided(name));
}

/**
 * Placeholders that machines list in `setup({ actors })`. The run replaces
 * each one, wherever a machine or its children name it, with a call on the
 * run's folder (runtime/run/run-system.ts); it finds them by identity.
 */
export const fileActors = {
  list: placeholder('list'),
  scandir: placeholder('scandir'),
  stat: placeholder('stat'),
  openFile: placeholder('openFile'),
  readFile: placeholder('readFile'),
  writeFile: placeholder('writeFile'),
  closeFile: placeholder('closeFile'),
  rename: placeholder('rename'),
  remove: placeholder('remove'),
  makeFolder: placeholder('makeFolder'),
  removeFolder: placeholder('removeFolder'),
};
