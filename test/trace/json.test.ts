// Trace files: JSON lines, bytes as base64 only on the way out, clear errors on the way in.
import { describe, expect, it } from 'vitest';
import { parseJsonLines, recordToJson, toJsonLines, TraceFileError, TraceLineReader } from '../../runtime/trace/json.ts';
import { Trace } from '../../runtime/trace/trace.ts';

function sample() {
  const trace = new Trace({ transport: 'sim', clock: () => 0, startedAt: 0, seed: 1 });
  trace.add({ type: 'send', actor: 's', conn: 'c1', end: 'acceptor', offered: 3, accepted: 2, offset: 0, data: Uint8Array.of(104, 105) });
  trace.add({ type: 'recv', actor: 'c', conn: 'c1', end: 'connector', max: 10, size: 2, offset: 0 });
  trace.add({ type: 'closeListener', actor: 's', listener: 'l1' });
  return trace;
}

describe('JSON lines', () => {
  it('writes bytes as base64 and reads them back as bytes', () => {
    const trace = sample();
    expect(recordToJson(trace.records[1]!)).toContain('"data":"aGk="');
    const back = parseJsonLines(toJsonLines(trace.records));
    expect(back).toEqual(trace.records);
    expect((back[1] as { data: unknown }).data).toBeInstanceOf(Uint8Array);
  });

  it.each([
    ['not JSON', '{"seq":0', /line 1 is not JSON/],
    ['not a record', '[1,2]', /line 1 is not a trace record/],
    ['no header', '{"seq":0,"t":0,"type":"actor"}', /not a Sockstep trace: its first record is "actor"/],
    ['version 1', '{"seq":0,"t":0,"type":"run","version":1,"transport":"sim"}', /this trace is version 1; this Sockstep reads version 2/],
    [
      'out of order',
      '{"seq":0,"t":0,"type":"run","version":2,"transport":"sim","startedAt":0}\n{"seq":5,"t":0,"type":"print","actor":"a","text":"x"}\n{"seq":3,"t":0,"type":"print","actor":"a","text":"y"}',
      /line 3: records are out of order \(seq 3 comes after seq 5\)/,
    ],
    ['a second header', '{"seq":0,"t":0,"type":"run","version":2,"transport":"sim","startedAt":0}\n{"seq":1,"t":0,"type":"run","version":2}', /a second "run" header/],
    ['bad base64', '{"seq":0,"t":0,"type":"run","version":2,"transport":"sim","startedAt":0}\n{"seq":1,"t":0,"type":"send","data":"@@"}', /line 2: the bytes are not base64/],
    ['empty', '\n\n', /the file is empty/],
  ])('refuses %s with a sentence that says so', (_name, text, message) => {
    expect(() => parseJsonLines(text)).toThrow(message);
    expect(() => parseJsonLines(text)).toThrow(TraceFileError);
  });

  it('reads line by line, telling the line number of a problem', () => {
    const reader = new TraceLineReader();
    expect(reader.read('{"seq":0,"t":0,"type":"run","version":2,"transport":"tcp","startedAt":5}')).toMatchObject({ type: 'run' });
    expect(reader.read('   ')).toBeNull();
    try {
      reader.read('{"seq":1');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ line: 3 });
    }
  });
});
