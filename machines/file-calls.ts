/**
 * The file calls a machine can make, defined once, as the socket calls are
 * (socket-calls.ts): for each call its input, its result, the trace record
 * it leaves and the sentence that describes that record. A machine never
 * touches a file; it names these calls in `setup({ actors })` through the
 * `fileActors` placeholders, and the run binds them to its folder: a
 * virtual one on the simulated network (and in the page), a real one, given
 * with `--root`, live (runtime/files/).
 *
 *   Python                          call     record
 *   names = os.listdir(root)        list     list
 *
 * Only `list` exists so far (lesson 2's LIST). open, read, write, stat,
 * rename and delete join the same way: an entry in `FileCalls` and
 * `FILE_CALLS`, a record, a sentence, a placeholder, and a method of the
 * runtime's FileTable and Folder.
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

/** Every call, by name: its input and its result. */
export interface FileCalls {
  list: { input: ListInput; output: ListOutput };
}
export type FileCallName = keyof FileCalls;
export const FILE_CALLS: readonly FileCallName[] = ['list'];

// ---- Records -------------------------------------------------------------

/** One list call: the folder and every name it holds. */
export interface ListRecord extends CallSite {
  type: 'list';
  path: string;
  names: string[];
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

export type FileRecord = ListRecord | FileErrorRecord | FileCancelRecord;
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

/** Each record as one sentence in the words of Python's os module, and as a short label. */
export function describeFileRecord(r: FileRecord): { sentence: string; label: string } {
  switch (r.type) {
    case 'list':
      return {
        sentence: `${r.actor} lists ${folderText(r.path)}: ${nameCount(r.names.length)}.`,
        label: `listdir → ${nameCount(r.names.length)}`,
      };
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
};
