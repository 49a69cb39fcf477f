// Which sends a recv's bytes came from (ui/trace/provenance.ts), on lesson 4's runs: the sources of
// every recv are contiguous, cover it exactly, and hold its bytes; two sends read as one give one
// recv two sources, one send read in pieces is the source of several recvs.
import { describe, expect, it } from 'vitest';
import lesson from '../lessons/04-the-stream/lesson.ts';
import { simulateScenario } from '../lessons/run-scenario.ts';
import type { RecvRecord, SendRecord } from '../runtime/trace/records.ts';
import { byteRange, recvSources } from '../ui/trace/provenance.ts';
import { buildRun } from '../ui/trace/run-model.ts';
import { recordBytes } from '../ui/trace/streams.ts';

async function model(seed: number, knobs = {}) {
  const { records } = await simulateScenario(lesson, 'reassemble', { seed }, knobs);
  return buildRun(records);
}

describe('recv sources', () => {
  it.each([
    [1, {}],
    [2, {}],
    [4, { sendBuffer: 32, segment: 8, readDelay: 5 }],
  ])('seed %i %j: every recv is covered exactly by its sources, whose bytes are its bytes', async (seed, knobs) => {
    const run = await model(seed, knobs);
    const m = run.steps;
    let recvs = 0;
    for (const i of m.byteRows) {
      const r = m.records[i]!;
      if (r.type !== 'recv' || r.size === 0) continue;
      recvs++;
      const sources = recvSources(m, run.streams, r as RecvRecord);
      expect(sources.length).toBeGreaterThan(0);
      expect(sources[0]!.from).toBe(0);
      expect(sources.at(-1)!.to).toBe(r.size);
      for (let k = 1; k < sources.length; k++) expect(sources[k]!.from).toBe(sources[k - 1]!.to);
      const recvBytes = recordBytes(run.streams, r as RecvRecord, r.size)!;
      for (const s of sources) {
        expect(s.step).toBeGreaterThanOrEqual(0);
        expect(s.step).toBeLessThan(m.stepOfRecord[i]!);
        const send = m.records[m.recordOf[s.step]!] as SendRecord;
        expect(send.type).toBe('send');
        expect(m.byteRows[s.row]).toBe(m.recordOf[s.step]);
        expect([...send.data.subarray(s.sendFrom, s.sendFrom + (s.to - s.from))]).toEqual([...recvBytes.subarray(s.from, s.to)]);
      }
    }
    expect(recvs).toBeGreaterThanOrEqual(3);
  });

  it('two sends read as one: the first recv of seed 1 has "Hello, " and "world!\\n" as two of its sources', async () => {
    const run = await model(1);
    const m = run.steps;
    const first = [...m.byteRows].map((i) => m.records[i]!).find((r) => r.type === 'recv') as RecvRecord;
    const sources = recvSources(m, run.streams, first);
    expect(sources.slice(0, 2).map((s) => [s.from, s.to, s.sendSize])).toEqual([
      [0, 7, 7],
      [7, 14, 7],
    ]);
  });

  it('one send read in pieces: the 3,001-byte send is a source of at least three recvs', async () => {
    const run = await model(1);
    const m = run.steps;
    const recvs = [...m.byteRows].map((i) => m.records[i]!).filter((r) => r.type === 'recv' && r.size > 0) as unknown as RecvRecord[];
    const fromLong = recvs.filter((r) => recvSources(m, run.streams, r).some((s) => s.sendSize === 3001));
    expect(fromLong.length).toBeGreaterThanOrEqual(3);
  });

  it('end of data and a peer outside the trace have no sources', async () => {
    const run = await model(1);
    const m = run.steps;
    const eof = [...m.byteRows].map((i) => m.records[i]!).find((r) => r.type === 'recv' && r.size === 0) as RecvRecord;
    expect(recvSources(m, run.streams, eof)).toEqual([]);
    expect(recvSources(m, new Map(), { ...eof, size: 5 })).toEqual([]);
  });

  it('says a range as a learner counts it', () => {
    expect(byteRange(0, 7)).toBe('bytes 0–6');
    expect(byteRange(3, 4)).toBe('byte 3');
  });
});
