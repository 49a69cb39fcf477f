// Each program's files at a step, from the file records (ui/trace/folder-files.ts), on lesson 5's
// runs: the server's somefile.txt known from its reads, the client's afile.txt from its writes,
// temporary until closed, thrown away when discarded; and the comparison that says afile.txt
// holds only the start of somefile.txt when a stall fooled the client.
import { describe, expect, it } from 'vitest';
import lesson, { SOMEFILE } from '../lessons/05-end-of-the-file/lesson.ts';
import { runScenario, scenarioOf, simulateScenario } from '../lessons/run-scenario.ts';
import { Trace } from '../runtime/trace/trace.ts';
import { createSimNetwork } from '../runtime/transport/sim/index.ts';
import { compareFiles, fileBytes, filesAt, hasFiles } from '../ui/trace/folder-files.ts';
import { buildSteps } from '../ui/trace/steps.ts';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const FIRST_FOUR = SOMEFILE.split('\n').slice(0, 4).join('\n') + '\n';

describe('files at a step', () => {
  it('at the end of a stalled course run: somefile.txt read whole, afile.txt written short, and it says so', async () => {
    const { records } = await simulateScenario(lesson, 'timeout', { seed: 1 }, { stall: 2500 });
    const model = buildSteps(records);
    expect(hasFiles(model)).toBe(true);
    const programs = filesAt(model, model.count - 1);
    expect(programs.map((p) => p.program)).toEqual(['server2a', 'client2a']);
    const [server, client] = programs;
    expect(server!.files).toMatchObject([{ path: 'somefile.txt', state: 'read', complete: true, size: SOMEFILE.length }]);
    expect(text(fileBytes(server!.files[0]!))).toBe(SOMEFILE);
    expect(client!.files).toMatchObject([{ path: 'afile.txt', state: 'written', complete: true, size: FIRST_FOUR.length }]);
    expect(text(fileBytes(client!.files[0]!))).toBe(FIRST_FOUR);
    expect(compareFiles(programs)).toEqual([
      { program: 'client2a', path: 'afile.txt', otherProgram: 'server2a', otherPath: 'somefile.txt', kind: 'prefix', size: FIRST_FOUR.length, otherSize: SOMEFILE.length },
    ]);
  });

  it('without the stall, the two are the same; before its close, afile.txt is being written', async () => {
    const { records } = await simulateScenario(lesson, 'size', { seed: 1 });
    const model = buildSteps(records);
    expect(compareFiles(filesAt(model, model.count - 1))).toMatchObject([{ kind: 'same', size: SOMEFILE.length }]);
    // The step of the client's first write: the file is there only as a temporary one.
    const write = records.findIndex((r) => r.type === 'writeFile');
    const step = model.stepOfRecord[write]!;
    const client = filesAt(model, step).find((p) => p.program === 'client2c')!;
    expect(client.files[0]).toMatchObject({ path: 'afile.txt', state: 'writing' });
    // Before the server reads anything, nothing is known of any file.
    expect(filesAt(model, 0)).toEqual([]);
  });

  it('a discarded afile.txt is shown thrown away, its name left as it was', async () => {
    const net = createSimNetwork({ seed: 1 });
    const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0 });
    await runScenario(lesson, scenarioOf(lesson, 'close'), { transport: net.transport(), trace, host: '127.0.0.1', port: 12345, settle: () => net.run(), serverFaults: { resetAfter: 300 } });
    const model = buildSteps(trace.records);
    const client = filesAt(model, model.count - 1).find((p) => p.program === 'client2b')!;
    expect(client.files).toMatchObject([{ path: 'afile.txt', state: 'discarded' }]);
    expect(compareFiles(filesAt(model, model.count - 1))).toEqual([]);
  });

  it('a run with no file records has no files panel', async () => {
    const { records } = await simulateScenario((await import('../lessons/01-greeting/lesson.ts')).default, 'greeting', { seed: 1 });
    expect(hasFiles(buildSteps(records))).toBe(false);
  });
});
