// File calls in a run: bound by the RunSystem like socket calls, recorded on the caller's lane with its state.
import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { describeFileRecord, fileActors, type FileRecord } from '../../machines/file-calls.ts';
import { toSocketError } from '../../machines/socket-calls.ts';
import { MemoryFolder } from '../../runtime/files/memory-folder.ts';
import { RunSystem } from '../../runtime/run/run-system.ts';
import { describeRecord } from '../../runtime/trace/describe.ts';
import { isFileRecord, isSocketRecord } from '../../runtime/trace/records.ts';
import { parseJsonLines, toJsonLines } from '../../runtime/trace/json.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork } from '../../runtime/transport/sim/index.ts';

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
