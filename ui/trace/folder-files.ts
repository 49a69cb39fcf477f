/**
 * Each program's files as they are at a step, from the file records alone
 * (machines/file-calls.ts): what the trace says of them, which is what the
 * program read and what it wrote. A program's children (a server's
 * sessions) work in its folder, so their records count as its own.
 *
 *   openFile read      the file is known from its reads: `read` bytes so far, `complete` once a read hit its end
 *   openFile replace   written under a temporary name: `pending` until closeFile gives it its name
 *   writeFile          bytes at their offsets
 *   closeFile          the name now holds what was written (or, discarded, is as it was)
 *   rename, remove     the name moves or goes
 *
 * Then files of two programs are compared: a file one program wrote that
 * holds only the start of a file another read whole (lesson 5's afile.txt
 * cut short by a timeout) says so.
 *
 * Records are found through an index kept per model and grown as records
 * arrive, so a step costs O(file records up to it). Pure.
 */
import type { TraceRecord } from '../../runtime/trace/records.ts';
import type { StepModel } from './steps.ts';

export type FileState =
  /** Known from reads: `complete` once a read returned b''. */
  | 'read'
  /** Being written under a temporary name (replace, new) or in place (append, update). */
  | 'writing'
  /** Written and closed: the name holds these bytes. */
  | 'written'
  /** Thrown away: a replace that was discarded (the name is as it was). */
  | 'discarded'
  | 'removed';

export interface FolderFile {
  path: string;
  state: FileState;
  /** The bytes known, in order (a preview is taken from them). */
  size: number;
  /** Every byte is known: read to the end, or written whole. */
  complete: boolean;
  /** The step of its latest record. */
  step: number;
  parts: { offset: number; data: Uint8Array }[];
}

export interface ProgramFiles {
  program: string;
  files: FolderFile[];
}

export interface FileComparison {
  /** The shorter file: program and path. */
  program: string;
  path: string;
  /** The file it is compared with. */
  otherProgram: string;
  otherPath: string;
  /** 'prefix': it holds only the first `size` of the other's `otherSize` bytes; 'same': every byte. */
  kind: 'prefix' | 'same';
  size: number;
  otherSize: number;
}

const FILE_TYPES = new Set(['openFile', 'readFile', 'writeFile', 'closeFile', 'rename', 'remove']);

/** Record indices of the file records, grown as the model grows. */
const indexes = new WeakMap<StepModel, { scanned: number; list: number[] }>();

function fileRecordIndices(model: StepModel): number[] {
  let index = indexes.get(model);
  if (index === undefined) indexes.set(model, (index = { scanned: 0, list: [] }));
  for (let i = index.scanned; i < model.records.length; i++) if (FILE_TYPES.has(model.records[i]!.type)) index.list.push(i);
  index.scanned = model.records.length;
  return index.list;
}

/** Whether the run has file records worth showing (reads or writes of files). */
export function hasFiles(model: StepModel): boolean {
  return fileRecordIndices(model).length > 0;
}

/** The program (a root actor) an actor belongs to. */
function programOf(model: StepModel, actor: string): string {
  let name = actor;
  for (let hops = 0; hops < 64; hops++) {
    const parent = model.byActor.get(name)?.parent;
    if (parent === null || parent === undefined) return name;
    name = parent;
  }
  return name;
}

/** The known bytes of a file, joined, at most `max` of them from its start. */
export function fileBytes(file: FolderFile, max = Infinity): Uint8Array {
  const length = Math.min(file.size, max);
  const out = new Uint8Array(length);
  for (const p of file.parts) {
    if (p.offset >= length) continue;
    out.set(p.data.subarray(0, length - p.offset), p.offset);
  }
  return out;
}

interface Handle {
  program: string;
  path: string;
  mode: string;
  file: FolderFile;
}

function addPart(file: FolderFile, offset: number, data: Uint8Array): void {
  if (data.length === 0) return;
  file.parts.push({ offset, data });
  file.size = Math.max(file.size, offset + data.length);
}

/** Each program's files at `step` (programs in order of their first file record). */
export function filesAt(model: StepModel, step: number): ProgramFiles[] {
  const upTo = model.count === 0 ? -1 : model.recordOf[step]!;
  const programs = new Map<string, Map<string, FolderFile>>();
  const folder = (program: string) => programs.get(program) ?? programs.set(program, new Map()).get(program)!;
  const handles = new Map<string, Handle>();
  for (const i of fileRecordIndices(model)) {
    if (i > upTo) break;
    const r = model.records[i] as TraceRecord & { actor: string; path?: string; file?: string };
    const s = model.stepOfRecord[i]!;
    const program = programOf(model, r.actor);
    const files = folder(program);
    switch (r.type) {
      case 'openFile': {
        const own = files.get(r.path);
        const fresh: FolderFile = { path: r.path, state: r.mode === 'read' ? 'read' : 'writing', size: 0, complete: false, step: s, parts: [] };
        // Reading a file known already adds to what is known; appending or updating writes into it.
        const file = own !== undefined && (r.mode === 'read' || r.mode === 'append' || r.mode === 'update') ? own : fresh;
        file.step = s;
        if (r.mode !== 'read') file.state = 'writing';
        if (r.mode === 'read' || r.mode === 'append' || r.mode === 'update') files.set(r.path, file);
        else if (own === undefined) files.set(r.path, file);
        handles.set(r.file, { program, path: r.path, mode: r.mode, file });
        break;
      }
      case 'readFile': {
        const h = handles.get(r.file);
        if (h === undefined) break;
        if (r.size === 0) h.file.complete = true;
        else if (r.data instanceof Uint8Array) addPart(h.file, r.offset, r.data);
        h.file.step = s;
        break;
      }
      case 'writeFile': {
        const h = handles.get(r.file);
        if (h === undefined || !(r.data instanceof Uint8Array)) break;
        addPart(h.file, r.offset, r.data);
        h.file.step = s;
        break;
      }
      case 'closeFile': {
        const h = handles.get(r.file);
        if (h === undefined) break;
        handles.delete(r.file);
        const byName = folder(h.program);
        if (h.mode === 'read') break;
        if (r.discarded === true) {
          // The temporary file is gone; the name keeps what it had (if the trace knows it).
          if (byName.get(h.path) === h.file) byName.set(h.path, { ...h.file, state: 'discarded', step: s });
          else byName.set(`${h.path}\u0000discarded${s}`, { ...h.file, state: 'discarded', step: s });
          break;
        }
        byName.set(h.path, { ...h.file, state: 'written', complete: h.mode === 'replace' || h.mode === 'new', step: s });
        break;
      }
      case 'rename': {
        const file = files.get(r.path);
        if (file === undefined) break;
        files.delete(r.path);
        files.set(r.to, { ...file, path: r.to, step: s });
        break;
      }
      case 'remove': {
        const file = files.get(r.path);
        if (file !== undefined) files.set(r.path, { ...file, state: 'removed', step: s });
        break;
      }
    }
  }
  return [...programs].map(([program, files]) => ({ program, files: [...files.values()] }));
}

/**
 * Bytes compared, at most, between two files: enough to tell lesson 5's
 * afile.txt from somefile.txt, cheap on every step of a 100 MiB live run.
 * Past it, two files are taken to match if these bytes do.
 */
export const COMPARED_BYTES = 64 * 1024;

/** Written files that hold a file another program read whole, or only its start. */
export function compareFiles(programs: readonly ProgramFiles[]): FileComparison[] {
  const read = programs.flatMap((p) => p.files.filter((f) => f.state === 'read' && f.complete).map((f) => ({ program: p.program, file: f })));
  const out: FileComparison[] = [];
  for (const p of programs) {
    for (const f of p.files) {
      if (f.state !== 'written') continue;
      const mine = fileBytes(f, COMPARED_BYTES);
      for (const other of read) {
        if (other.program === p.program || f.size > other.file.size) continue;
        const theirs = fileBytes(other.file, mine.length);
        if (!mine.every((b, i) => b === theirs[i])) continue;
        out.push({
          program: p.program,
          path: f.path,
          otherProgram: other.program,
          otherPath: other.file.path,
          kind: f.size === other.file.size ? 'same' : 'prefix',
          size: f.size,
          otherSize: other.file.size,
        });
      }
    }
  }
  return out;
}
