/**
 * Several live runs shown as one (ui/trace/merge-runs.ts), and the live
 * page's follow, hold and window (ui/lib/live-feed.ts). The runs are real:
 * lesson 1's server and two clients, each a run with a trace of its own,
 * on one simulated network, as a server started from the page and two
 * clients run from a terminal are.
 */
import { describe, expect, it } from 'vitest';
import type { RecvRecord, TraceRecord } from '../runtime/trace/records.ts';
import { LiveFeed } from '../ui/lib/live-feed.ts';
import { RunMerger } from '../ui/trace/merge-runs.ts';
import { buildRun } from '../ui/trace/run-model.ts';
import { recordBytes } from '../ui/trace/streams.ts';
import { repeatTrace } from './bench/ui-synthetic-trace.ts';
import { greetingTrace, separateRunTraces } from './ui-fixtures/traces.ts';

const { server, clients } = await separateRunTraces(1, 2);
const FAR_FUTURE = 10 ** 15;

describe('runs merged into one', () => {
  it('passes one run through as it is', () => {
    const merger = new RunMerger(1);
    merger.push(0, server.slice(0, 10));
    merger.push(0, server.slice(10));
    expect([...merger.take(0)]).toEqual(server);
  });

  it('draws a server and two clients run apart as one: their lanes, one line per connection, in time order', () => {
    const merger = new RunMerger(3);
    // Batches arrive run by run, out of step with one another.
    merger.push(2, clients[1]!);
    merger.push(0, server.slice(0, 12));
    merger.push(1, clients[0]!);
    merger.push(0, server.slice(12));
    for (const k of [0, 1, 2]) merger.close(k);
    const merged = merger.take(FAR_FUTURE);
    expect(merged.length).toBe(server.length + clients[0]!.length + clients[1]!.length - 2);
    expect(merged[0]).toMatchObject({ type: 'run', version: 2, lesson: server[0]!.type === 'run' ? server[0]!.lesson : '' });
    // Numbered afresh, in order of time.
    merged.forEach((r, i) => expect(r.seq).toBe(i));
    for (let i = 1; i < merged.length; i++) expect(merged[i]!.t).toBeGreaterThanOrEqual(merged[i - 1]!.t);
    // Each run's records keep their order.
    const actors = [...new Set(merged.flatMap((r) => (r.type === 'actor' ? [r.actor] : [])))];
    expect(actors.sort()).toEqual(['client1', 'client1#2', 'server1']);
    // The server accepted two connections; each is the same line as a client's connect.
    const accepts = merged.filter((r) => r.type === 'accept');
    const connects = merged.filter((r) => r.type === 'connect');
    expect(accepts).toHaveLength(2);
    expect(connects).toHaveLength(2);
    expect(new Set(accepts.map((r) => (r as { conn: string }).conn))).toEqual(new Set(connects.map((r) => (r as { conn: string }).conn)));
    // And each client's recv reads the bytes the server sent on its connection.
    const model = buildRun(merged);
    expect(model.wires.conns).toHaveLength(2);
    for (const r of merged.filter((x) => x.type === 'recv' && x.size > 0)) {
      expect(new TextDecoder().decode(recordBytes(model.streams, r as RecvRecord, 64)!)).toBe('You are connected');
    }
  });

  it('gives each run its own lane group, titled as the page titles the run; one run alone keeps the usual groups', () => {
    const titles = ['server1 on port 12345', 'client1 from a terminal', 'client1 again'];
    const feed = new LiveFeed(3, { runTitle: (k) => titles[k]!, holdMs: 0 });
    feed.push(0, server);
    feed.push(1, clients[0]!);
    feed.push(2, clients[1]!);
    for (const k of [0, 1, 2]) feed.close(k);
    feed.flush(FAR_FUTURE);
    const { groups, columns, laneOf } = feed.model.lanes.snapshot();
    expect(groups.map((g) => [g.title, g.side])).toEqual([
      ['server1 on port 12345', 'left'],
      ['client1 from a terminal', 'right'],
      ['client1 again', 'right'],
    ]);
    // Each group holds its own run's actor.
    const groupOfActor = (actor: string) => groups[columns[laneOf.get(actor)!.column]!.group]!.title;
    expect(groupOfActor('server1')).toBe(titles[0]);
    expect(groupOfActor('client1')).toBe(titles[1]);
    expect(groupOfActor('client1#2')).toBe(titles[2]);

    const alone = new LiveFeed(1);
    alone.push(0, server);
    alone.close(0);
    alone.flush(FAR_FUTURE);
    expect(alone.model.lanes.snapshot().groups.map((g) => g.title)).toEqual(['']);
  });

  it('holds a record until every run still going has caught up, or the hold has passed', () => {
    const merger = new RunMerger(2, 250);
    merger.push(0, server.slice(0, 1));
    merger.push(1, clients[0]!.slice(0, 1));
    // The server has sent a record at t, the client only its header: the client may still send something earlier.
    const later = server.find((r) => r.type !== 'run' && r.t > 0)!;
    merger.push(0, server.slice(1, server.indexOf(later) + 1));
    const start = (server[0] as { startedAt: number }).startedAt;
    const early = merger.take(start + later.t);
    expect(early.some((r) => r.type !== 'run' && r.t >= later.t)).toBe(false);
    // Once the hold has passed, it goes out.
    const out = merger.take(start + later.t + 1000);
    expect(out.length).toBeGreaterThan(0);
  });
});

describe('following a live run, holding a step, and the window', () => {
  const records: TraceRecord[] = [];

  it('follows the newest step until the learner steps back, then holds it while the run goes on', async () => {
    records.push(...(await greetingTrace()));
    const feed = new LiveFeed(1);
    feed.push(0, records.slice(0, 10));
    feed.flush();
    expect(feed.following).toBe(true);
    expect(feed.step).toBe(feed.model.steps.count - 1);
    feed.setStep(2);
    expect(feed.following).toBe(false);
    feed.push(0, records.slice(10));
    feed.flush();
    expect(feed.step).toBe(2);
    expect(feed.behind).toBe(feed.model.steps.count - 3);
    // The newest step again (→ to the end, or "jump to live"): following.
    feed.setStep(feed.model.steps.count - 1);
    expect(feed.following).toBe(true);
    feed.setStep(0);
    feed.follow();
    expect(feed.step).toBe(feed.model.steps.count - 1);
  });

  it('keeps a window of steps on a run that never ends, numbered as in the run, and says when a held step was let go', async () => {
    const long = repeatTrace(records, 20_000);
    const feed = new LiveFeed(1, { windowSteps: 3000, keepSteps: 2000 });
    feed.push(0, long.slice(0, 2000));
    feed.flush();
    feed.setStep(100);
    for (let i = 2000; i < long.length; i += 500) {
      feed.push(0, long.slice(i, i + 500));
      feed.flush();
      expect(feed.model.steps.count).toBeLessThan(3000);
    }
    expect(feed.received).toBe(long.length);
    expect(feed.firstStep).toBeGreaterThan(0);
    expect(feed.model.runSteps).toBe(buildRun(long).steps.count);
    // The held step 100 was let go: the page holds the oldest step it has, and says which was let go.
    expect(feed.letGo).toBe(100);
    expect(feed.step).toBe(0);
    expect(feed.following).toBe(false);
    feed.follow();
    expect(feed.letGo).toBe(null);
  });
});
