// `sockstep export TRACE --pcap FILE`: the capture it writes is the pure
// writer's, a trace is streamed (a 64 MB file through a 24 MB heap), and
// every bad input gets one line of ours and no capture left behind.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import greeting from '../../lessons/01-greeting/lesson.ts';
import { runScenarioSim } from '../../lessons/run-scenario.ts';
import { sockstepIn } from '../helpers/cli-in-process.ts';
import { traceToPcap } from '../../runtime/export/pcap-export.ts';
import { recordToJson, toJsonLines } from '../../runtime/trace/json.ts';
import { CLI } from '../helpers/processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'sockstep-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sockstep(argv: string[]) {
  const { code, out, err } = sockstepIn(dir, argv);
  return { code: await code, out, err };
}

const HEADER = '{"seq":0,"t":0,"type":"run","version":2,"transport":"sim","startedAt":0}';

describe('sockstep export', () => {
  it('writes the capture of a trace and says what is in it', async () => {
    const records = await runScenarioSim(greeting);
    writeFileSync(join(dir, 'run.jsonl'), toJsonLines(records));
    const result = await sockstep(['export', 'run.jsonl', '--pcap', 'run.pcap']);
    expect(result).toEqual({ code: 0, out: [`wrote run.pcap: 1 connection, 9 packets, 17 bytes of data (from ${records.length} trace records)`], err: [] });
    expect(new Uint8Array(readFileSync(join(dir, 'run.pcap')))).toEqual(traceToPcap(records));
  });

  it('has help, and is in sockstep --help', async () => {
    expect((await sockstep(['export', '--help'])).out.join('\n')).toMatch(/^Usage: sockstep export TRACE\.jsonl --pcap FILE$/m);
    expect((await sockstep(['--help'])).out.join('\n')).toMatch(/sockstep export TRACE --pcap FILE/);
  });

  const trace = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return name;
  };

  it.each<[string, number, () => string[], string]>([
    ['no trace', 2, () => ['export', '--pcap', 'x.pcap'], 'export needs a trace file, as in sockstep export run.jsonl --pcap run.pcap'],
    ['no --pcap', 2, () => ['export', trace('a.jsonl', HEADER)], 'export needs --pcap FILE, as in sockstep export a.jsonl --pcap run.pcap'],
    ['two traces', 2, () => ['export', 'a.jsonl', 'b.jsonl', '--pcap', 'x.pcap'], 'export takes one trace file (got "a.jsonl" and "b.jsonl")'],
    ['a missing trace', 2, () => ['export', 'nope.jsonl', '--pcap', 'x.pcap'], 'cannot read the trace "nope.jsonl": there is no such file'],
    ['a folder', 2, () => (mkdirSync(join(dir, 'folder'), { recursive: true }), ['export', 'folder', '--pcap', 'x.pcap']), 'cannot read the trace "folder": that is a folder'],
    ['the trace as output', 2, () => ['export', trace('a.jsonl', HEADER), '--pcap', 'a.jsonl'], '--pcap a.jsonl is the trace file itself; write the capture to another file'],
    ['an output in no folder', 2, () => ['export', trace('a.jsonl', HEADER), '--pcap', 'no/such/x.pcap'], 'cannot write the capture to "no/such/x.pcap": there is no such file'],
    ['not JSON lines', 1, () => ['export', trace('b.jsonl', 'hello world\n'), '--pcap', 'x.pcap'], 'cannot export "b.jsonl": line 1 is not JSON: a trace file has one JSON record per line ("hello world"); no capture written'],
    ['an empty file', 1, () => ['export', trace('e.jsonl', ''), '--pcap', 'x.pcap'], 'cannot export "e.jsonl": the file is empty: a trace has at least its "run" header; no capture written'],
    [
      'another version',
      1,
      () => ['export', trace('v1.jsonl', '{"seq":0,"t":0,"type":"run","version":1,"transport":"sim"}\n'), '--pcap', 'x.pcap'],
      'cannot export "v1.jsonl": this trace is version 1; this Sockstep reads version 2. Record the run again with this version (sockstep run ... --trace FILE); no capture written',
    ],
    [
      'records out of order',
      1,
      () => ['export', trace('o.jsonl', `${HEADER}\n{"seq":5,"t":0,"type":"print","actor":"a","text":"x"}\n{"seq":3,"t":0,"type":"print","actor":"a","text":"y"}\n${HEADER.replace('"seq":0', '"seq":9').replace('"run"', '"print"')}\n`), '--pcap', 'x.pcap'],
      'cannot export "o.jsonl": line 3: records are out of order (seq 3 comes after seq 5); was the file edited or two traces joined?; no capture written',
    ],
  ])('%s: one line, exit %i, no capture left', async (_name, code, argv, message) => {
    const result = await sockstep(argv());
    expect(result).toEqual({ code, out: [], err: [`sockstep: ${message}`] });
    expect(existsSync(join(dir, 'x.pcap'))).toBe(false);
  });

  it('a last line cut short (a run stopped while writing): the capture of what came before, and a warning', async () => {
    const records = await runScenarioSim(greeting);
    const text = toJsonLines(records);
    writeFileSync(join(dir, 'cut.jsonl'), text + recordToJson(records.at(-1)!).slice(0, 25));
    const result = await sockstep(['export', 'cut.jsonl', '--pcap', 'cut.pcap']);
    expect(result.code).toBe(0);
    expect(result.err).toEqual([
      `sockstep: warning: the last line of "cut.jsonl" (line ${records.length + 1}) is cut short (line ${records.length + 1} is not JSON: a trace file has one JSON record per line (${JSON.stringify(recordToJson(records.at(-1)!).slice(0, 25))})); the capture holds the ${records.length} records before it`,
    ]);
    expect(new Uint8Array(readFileSync(join(dir, 'cut.pcap')))).toEqual(traceToPcap(records));
  });

  it('streams: a 64 MB trace goes through a 24 MB heap', () => {
    const path = join(dir, 'big.jsonl');
    const fd = openSync(path, 'w');
    writeSync(fd, `${HEADER}\n`);
    writeSync(fd, '{"seq":1,"t":0,"type":"connect","actor":"c","conn":"c1","end":"connector","local":{"host":"127.0.0.1","port":40000},"remote":{"host":"127.0.0.1","port":2121}}\n');
    const data = Buffer.alloc(48 * 1024, 'x').toString('base64');
    const count = Math.ceil((64 * 1024 * 1024) / data.length);
    for (let i = 0; i < count; i++) {
      writeSync(fd, `{"seq":${i + 2},"t":${i},"type":"send","actor":"c","conn":"c1","end":"connector","offered":49152,"accepted":49152,"offset":${i * 49152},"data":"${data}"}\n`);
    }
    closeSync(fd);
    const out = execFileSync('node', ['--max-old-space-size=24', CLI, 'export', path, '--pcap', join(dir, 'big.pcap')], { encoding: 'utf8' });
    const n = (x: number) => x.toLocaleString('en-US');
    expect(out).toBe(`wrote ${join(dir, 'big.pcap')}: 1 connection, ${n(2 * count + 3)} packets, ${n(count * 49152)} bytes of data (from ${n(count + 2)} trace records)\n`);
  });
});
