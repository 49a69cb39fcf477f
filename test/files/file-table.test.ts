// File calls in a run: bound by the RunSystem like socket calls, recorded on the caller's lane with its state.
import { describe, expect, it } from 'vitest';
import { assign, setup, type AnyStateMachine } from 'xstate';
import { describeFileRecord, fileActors, type FileRecord } from '../../machines/file-calls.ts';
import { toSocketError } from '../../machines/socket-calls.ts';
import { FileTable } from '../../runtime/files/file-table.ts';
import { MemoryFolder } from '../../runtime/files/memory-folder.ts';
import { RunSystem } from '../../runtime/run/run-system.ts';
import { describeRecord } from '../../runtime/trace/describe.ts';
import { isFileRecord, isSocketRecord } from '../../runtime/trace/records.ts';
import { parseJsonLines, toJsonLines } from '../../runtime/trace/json.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork } from '../../runtime/transport/sim/index.ts';
import { parentFiles, scriptedFiles, type Step } from './scripted-files.ts';

/** Lists one folder, then another; keeps what it got. */
const lister = setup({
  types: { input: {} as { paths: [string, string] }, context: {} as { paths: [string, string]; got: unknown[] } },
  actors: { list: fileActors.list },
}).createMachine({
  id: 'lister',
  context: ({ input }) => ({ paths: input.paths, got: [] }),
  initial: 'first',
  states: {
    first: {
      invoke: {
        src: 'list',
        input: ({ context }) => ({ path: context.paths[0] }),
        onDone: { target: 'second', actions: assign({ got: ({ context, event }) => [...context.got, event.output.names] }) },
        onError: { target: 'second', actions: assign({ got: ({ context, event }) => [...context.got, toSocketError(event.error).code] }) },
      },
    },
    second: {
      invoke: {
        src: 'list',
        input: ({ context }) => ({ path: context.paths[1] }),
        onDone: { target: 'done', actions: assign({ got: ({ context, event }) => [...context.got, event.output.names] }) },
        onError: { target: 'done', actions: assign({ got: ({ context, event }) => [...context.got, toSocketError(event.error).code] }) },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.got,
});

async function runLister(paths: [string, string], files?: MemoryFolder) {
  const net = createSimNetwork();
  const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0 });
  const run = new RunSystem({ transport: net.transport(), trace, ...(files === undefined ? {} : { files }) });
  const { done } = run.start(lister, { id: 'lister', input: { paths } });
  await net.run();
  const output = await done;
  await run.stop();
  return { output, records: trace.records };
}

describe('file calls in a run', () => {
  it('lists the run folder; each call leaves a record on its lane, with the state that made it', async () => {
    const files = new MemoryFolder({ 'b.txt': '', 'a.txt': '', 'sub/c.txt': '' });
    const { output, records } = await runLister(['.', 'sub'], files);
    expect(output).toEqual([['a.txt', 'b.txt', 'sub'], ['c.txt']]);
    const fileRecords = records.filter(isFileRecord);
    expect(fileRecords).toMatchObject([
      { type: 'list', actor: 'lister', at: 'lister.first', path: '.', names: ['a.txt', 'b.txt', 'sub'] },
      { type: 'list', actor: 'lister', at: 'lister.second', path: 'sub', names: ['c.txt'] },
    ]);
    expect(fileRecords.some((r) => isSocketRecord(r))).toBe(false);
    expect(describeRecord(fileRecords[0]!)).toBe('lister lists its folder: 3 names.');
    expect(describeRecord(fileRecords[1]!)).toBe('lister lists "sub": 1 name.');
  });

  it('a failed call leaves a fileError record with a plain-words hint, and the machine hears the code', async () => {
    const { output, records } = await runLister(['missing', '../up'], new MemoryFolder({}));
    expect(output).toEqual(['ENOENT', 'EOUTSIDE']);
    const errors = records.filter((r) => r.type === 'fileError');
    expect(errors).toMatchObject([
      { op: 'list', path: 'missing', code: 'ENOENT', at: 'lister.first' },
      { op: 'list', path: '../up', code: 'EOUTSIDE', at: 'lister.second' },
    ]);
    expect(describeRecord(errors[1]!)).toMatch(/failed with EOUTSIDE: .*That path leads outside the folder/);
  });

  it('without a folder, file calls fail with ENOFOLDER and say how to give one', async () => {
    const { output, records } = await runLister(['.', '.']);
    expect(output).toEqual(['ENOFOLDER', 'ENOFOLDER']);
    const error = records.find((r) => r.type === 'fileError')!;
    expect(describeRecord(error)).toMatch(/--root FOLDER/);
  });

  it('names that are not UTF-8 survive the JSON lines of a trace file', async () => {
    const { records } = await runLister(['.', '.'], new MemoryFolder({ 'caf\uDCE9': '', 'two\nlines': '' }));
    const back = parseJsonLines(toJsonLines(records));
    expect(back.filter(isFileRecord)[0]).toMatchObject({ names: ['caf\uDCE9', 'two\nlines'] });
  });

  it('every file record type has a sentence and a label', () => {
    const site = { actor: 'x', at: 'x.s' };
    const all: FileRecord[] = [
      { type: 'list', ...site, path: '.', names: [] },
      { type: 'fileError', ...site, op: 'list', path: 'a', code: 'EWHAT', message: 'odd' },
      { type: 'fileCancel', ...site, op: 'list', path: '.' },
    ];
    for (const r of all) {
      const { sentence, label } = describeFileRecord(r);
      expect(sentence).toMatch(/^x.*\.$/);
      expect(label.length).toBeGreaterThan(0);
    }
  });
});

/** Run scripted file calls in a run, each program with the folder given. */
async function runScripts(programs: { id: string; steps: Step[]; childSteps?: Step[]; folder?: MemoryFolder; machine?: AnyStateMachine }[], runFolder?: MemoryFolder) {
  const net = createSimNetwork();
  const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0 });
  const run = new RunSystem({ transport: net.transport(), trace, ...(runFolder === undefined ? {} : { files: runFolder }) });
  const started = programs.map((p) =>
    run.start(p.machine ?? scriptedFiles, { id: p.id, input: { steps: p.steps, childSteps: p.childSteps }, ...(p.folder === undefined ? {} : { folder: p.folder }) }),
  );
  await net.run();
  const outputs = await Promise.all(started.map((s) => s.done));
  await run.stop();
  return { outputs, records: trace.records, run };
}

const text = (s: string) => new TextEncoder().encode(s);

describe('file calls through handles', () => {
  it('opens, reads in pieces and closes; each read record says where its bytes were and holds them', async () => {
    const folder = new MemoryFolder({ 'somefile.txt': 'line one\nline two\n' });
    const { outputs, records } = await runScripts([
      {
        id: 'reader',
        steps: [
          { call: 'openFile', input: { path: 'somefile.txt', mode: 'read' } },
          { call: 'readFile', input: { file: '$file', max: 9 } },
          { call: 'readFile', input: { file: '$file', max: 100 } },
          { call: 'readFile', input: { file: '$file', max: 100 } },
          { call: 'closeFile', input: { file: '$file' } },
          { call: 'readFile', input: { file: '$file', max: 1 } },
        ],
      },
    ], folder);
    expect(outputs[0]).toEqual([{ file: 'f1', size: 18n }, 'line one\n', 'line two\n', '', undefined, 'EBADF']);
    const fileRecords = records.filter(isFileRecord);
    expect(fileRecords.map((r) => describeRecord(r))).toEqual([
      'reader opens "somefile.txt" to read it: file f1.',
      'reader reads 9 bytes of "somefile.txt" from byte 0.',
      'reader reads 9 bytes of "somefile.txt" from byte 9.',
      "reader reads \"somefile.txt\" and gets b'': end of file.",
      'reader closes f1 ("somefile.txt").',
      expect.stringMatching(/^reader's readFile of "f1" failed with EBADF: file f1 is not open\. That file is not open/),
    ]);
    expect(fileRecords[2]).toMatchObject({ type: 'readFile', file: 'f1', path: 'somefile.txt', offset: 9, size: 9, at: 'files.readFile' });
    expect(new TextDecoder().decode((fileRecords[2] as { data: Uint8Array }).data)).toBe('line two\n');
  });

  it("writes with 'replace': the name changes only at closeFile; the write records hold the bytes and their offsets", async () => {
    const folder = new MemoryFolder({ 'afile.txt': 'old\n' });
    const { records } = await runScripts([
      {
        id: 'writer',
        steps: [
          { call: 'openFile', input: { path: 'afile.txt', mode: 'replace' } },
          { call: 'writeFile', input: { file: '$file', bytes: text('new ') } },
          { call: 'stat', input: { path: 'afile.txt' } },
          { call: 'writeFile', input: { file: '$file', bytes: text('content\n') } },
          { call: 'closeFile', input: { file: '$file' } },
          { call: 'stat', input: { path: 'afile.txt' } },
        ],
      },
    ], folder);
    const writes = records.filter((r) => r.type === 'writeFile');
    expect(writes).toMatchObject([{ offset: 0, size: 4 }, { offset: 4, size: 8 }]);
    expect(records.filter((r) => r.type === 'stat')).toMatchObject([{ size: '4' }, { size: '12' }]);
    const f = await folder.open('afile.txt', 'read');
    expect(new TextDecoder().decode(await f.read(0n, 100))).toBe('new content\n');
  });

  it('closeFile with discard throws the temporary file away and says so', async () => {
    const folder = new MemoryFolder({ 'afile.txt': 'old\n' });
    const { records } = await runScripts([
      {
        id: 'writer',
        steps: [
          { call: 'openFile', input: { path: 'afile.txt', mode: 'replace' } },
          { call: 'writeFile', input: { file: '$file', bytes: text('half') } },
          { call: 'closeFile', input: { file: '$file', discard: true } },
        ],
      },
    ], folder);
    expect(describeRecord(records.find((r) => r.type === 'closeFile')!)).toBe('writer closes f1 and throws its temporary file away: "afile.txt" is left as it was.');
    expect(await folder.list('.')).toEqual(['afile.txt']);
  });

  it('when the run stops, a file still being replaced is thrown away (recorded), never renamed into place', async () => {
    const folder = new MemoryFolder({ 'afile.txt': 'old\n' });
    const { records, run } = await runScripts([
      {
        id: 'writer',
        steps: [
          { call: 'openFile', input: { path: 'afile.txt', mode: 'replace' } },
          { call: 'writeFile', input: { file: '$file', bytes: text('half a') } },
          { call: 'openFile', input: { path: 'log.txt', mode: 'append' } },
          { call: 'writeFile', input: { file: '$file', bytes: text('kept\n') } },
        ],
      },
    ], folder);
    expect(run.files.openCount).toBe(0);
    expect(records.filter((r) => r.type === 'closeFile')).toMatchObject([{ actor: 'writer', file: 'f1', path: 'afile.txt', discarded: true }]);
    const f = await folder.open('afile.txt', 'read');
    expect(new TextDecoder().decode(await f.read(0n, 100))).toBe('old\n');
    expect(await folder.list('.')).toEqual(['afile.txt', 'log.txt']);
  });

  it('every path call records what it did, with a sentence', async () => {
    const { outputs, records } = await runScripts([
      {
        id: 'tidy',
        steps: [
          { call: 'makeFolder', input: { path: 'done' } },
          { call: 'rename', input: { from: 'a.txt', to: 'done/a.txt' } },
          { call: 'scandir', input: { path: 'done' } },
          { call: 'remove', input: { path: 'done/a.txt' } },
          { call: 'removeFolder', input: { path: 'done' } },
          { call: 'openFile', input: { path: 'a.txt', mode: 'append', offset: 5n } },
        ],
      },
    ], new MemoryFolder({ 'a.txt': 'a' }));
    expect(outputs[0]).toMatchObject([undefined, undefined, { entries: [{ name: 'a.txt', kind: 'file', size: 1n }] }, undefined, undefined, 'EINVAL']);
    expect(records.filter(isFileRecord).map((r) => describeRecord(r)).slice(0, 5)).toEqual([
      'tidy makes the folder "done".',
      'tidy renames "a.txt" to "done/a.txt".',
      'tidy scans "done": 1 entry with their sizes and times.',
      'tidy removes "done/a.txt".',
      'tidy removes the folder "done".',
    ]);
  });
});

describe('a folder per program', () => {
  it("each program works in its own folder, and a program's children in its folder", async () => {
    const serverFolder = new MemoryFolder({ 'somefile.txt': 'the original\n' });
    const clientFolder = new MemoryFolder({});
    const runFolder = new MemoryFolder({ 'shared.txt': '' });
    const { outputs, records } = await runScripts(
      [
        { id: 'server', steps: [{ call: 'list', input: { path: '.' } }], folder: serverFolder },
        {
          id: 'parent',
          machine: parentFiles,
          folder: clientFolder,
          steps: [
            { call: 'openFile', input: { path: 'afile.txt', mode: 'replace' } },
            { call: 'writeFile', input: { file: '$file', bytes: text('saved') } },
            { call: 'closeFile', input: { file: '$file' } },
          ],
          childSteps: [{ call: 'list', input: { path: '.' } }],
        },
        { id: 'other', steps: [{ call: 'list', input: { path: '.' } }] },
      ],
      runFolder,
    );
    expect(outputs[0]).toEqual([{ names: ['somefile.txt'] }]);
    expect(outputs[2]).toEqual([{ names: ['shared.txt'] }]);
    expect(await clientFolder.list('.')).toEqual(['afile.txt']);
    expect(await serverFolder.list('.')).toEqual(['somefile.txt']);
    expect(await runFolder.list('.')).toEqual(['shared.txt']);
    // The child listed its parent's folder (before or after the file was written).
    const childList = records.find((r) => r.type === 'list' && r.actor === 'parent-child');
    expect(childList).toBeDefined();
    expect((childList as { names: string[] }).names.every((n) => n === 'afile.txt')).toBe(true);
  });
});

describe('streams: reads and writes by handle without a record each (for transfers)', () => {
  it('move the positions that later records start from', async () => {
    const folder = new MemoryFolder({ 'in.txt': 'abcdefgh' });
    const trace = new Trace({ transport: 'sim', clock: () => 0, startedAt: 0 });
    const table = new FileTable(folder, trace);
    const site = { actor: 'x' };
    const input = await table.openFile({ path: 'in.txt', mode: 'read' }, site);
    const output = await table.openFile({ path: 'out.txt', mode: 'replace' }, site);
    const streams = table.streams();
    expect(new TextDecoder().decode(await streams.read(input.file, 3))).toBe('abc');
    await streams.write(output.file, new TextEncoder().encode('ABC'));
    await table.readFile({ file: input.file, max: 100 }, site);
    await table.writeFile({ file: output.file, bytes: new TextEncoder().encode('D') }, site);
    await table.closeFile({ file: output.file }, site);
    expect(trace.records.filter((r) => r.type === 'readFile' || r.type === 'writeFile')).toMatchObject([
      { type: 'readFile', offset: 3, size: 5 },
      { type: 'writeFile', offset: 3, size: 1 },
    ]);
    await expect(streams.read('f9', 1)).rejects.toMatchObject({ code: 'EBADF' });
    const f = await folder.open('out.txt', 'read');
    expect(new TextDecoder().decode(await f.read(0n, 10))).toBe('ABCD');
  });
});
