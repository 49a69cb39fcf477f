/**
 * The page's models of a trace: steps, where a recv's bytes are, byte rows
 * and dump lines, lanes grouped server → sessions → clients with columns
 * reused, connection labels, roles, which actor a chart follows, the run
 * summary and the per-client timeline. Traces come from real machines on
 * the simulated network: lesson 1 of the registry, and a multi-actor
 * fixture of our own (ui-fixtures/threaded-lesson.ts).
 */
import { describe, expect, it } from 'vitest';
import { rolesOf as lessonRoles } from '../lessons/lesson-types.ts';
import type { RecvRecord, SendRecord, TraceRecord } from '../runtime/trace/records.ts';
import { byteRow, byteWindow, PREVIEW_BYTES } from '../ui/trace/byte-rows.ts';
import { decodeBytes, dumpLines, previewCut, toHex } from '../ui/trace/byte-text.ts';
import { actorTag, actorsByMachine, followedActor, listedActors, MAX_LISTED } from '../ui/trace/machine-actors.ts';
import { rolesOf } from '../ui/trace/roles.ts';
import { summarize, summaryText } from '../ui/trace/run-summary.ts';
import { buildSequence, connsInWindow, glyphOf, spanAt } from '../ui/trace/sequence.ts';
import { clampLabel, fitText, geometryOf, MIN_LANE, STEP_STRIP } from '../ui/trace/sequence-geometry.ts';
import { captionAt, contextAt } from '../ui/trace/step-context.ts';
import { buildSteps, clampStep, countUpTo, latestUpTo, microstepAt, printsUpTo, recordAt, statusAt } from '../ui/trace/steps.ts';
import { buildStreams, recordBytes, streamBytes } from '../ui/trace/streams.ts';
import { backlogWaits, clientTimeline } from '../ui/trace/timeline.ts';
import { isEventless } from '../ui/trace/transitions.ts';
import { threadedLesson } from './ui-fixtures/threaded-lesson.ts';
import { firstLesson, greetingTrace, threadedFixture } from './ui-fixtures/traces.ts';

const greeting = await greetingTrace();
const threads = await threadedFixture('threads');
const iterative = await threadedFixture('iterative');
const fxRoles = lessonRoles(threadedLesson);

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

describe('buildSteps', () => {
  const model = buildSteps(greeting);

  it('makes a step of every record but run and event records', () => {
    const steps = greeting.filter((r) => r.type !== 'run' && r.type !== 'event');
    expect(model.count).toBe(steps.length);
    for (let s = 0; s < model.count; s++) expect(recordAt(model, s)).toBe(steps[s]);
    expect(model.stepOfRecord[0]).toBe(-1);
  });

  it('shows each event with the microstep it caused, and every event once', () => {
    const shown: number[] = [];
    for (let s = 0; s < model.count; s++) {
      const r = recordAt(model, s);
      const ev = model.eventOf[s]!;
      if (r.type === 'microstep' && !r.transitions.some(isEventless)) {
        expect(greeting[ev]).toMatchObject({ type: 'event', actor: r.actor, event: { type: r.event } });
        shown.push(ev);
      } else {
        expect(ev).toBe(-1);
      }
    }
    expect(shown).toEqual(greeting.flatMap((r, i) => (r.type === 'event' ? [i] : [])));
  });

  it('knows each actor’s machine, state and status at every step', () => {
    const [server, client] = firstLesson.machines.map((m) => m.machine.id);
    expect(model.actors.map((a) => a.actor)).toEqual([server, client]);
    expect(model.byActor.get(client!)!.machine).toBe(client);
    expect(microstepAt(model, client!, 0)).toBeNull();
    const last = model.count - 1;
    expect(microstepAt(model, client!, last)!.state).toBe('done');
    expect(statusAt(model, client!, last)!.status).toBe('done');
    expect(statusAt(model, client!, last - 1)).toBeNull();
    // The latest microstep by binary search is the one a walk through the trace finds.
    for (let s = 0; s < model.count; s++) {
      let expected = null;
      for (let i = 0; i <= model.recordOf[s]!; i++) {
        const r = greeting[i]!;
        if (r.type === 'microstep' && r.actor === server) expected = r;
      }
      expect(microstepAt(model, server!, s)).toBe(expected);
    }
  });

  it('counts the byte rows up to each step', () => {
    expect(model.byteRows.length).toBe(greeting.filter((r) => r.type === 'send' || r.type === 'recv').length);
    expect(model.byteRowsUpTo[0]).toBe(0);
    expect(model.byteRowsUpTo[model.count - 1]).toBe(model.byteRows.length);
  });

  it('binary-searches sorted lists', () => {
    const list = Int32Array.from([2, 5, 9]);
    expect([countUpTo(list, 1), countUpTo(list, 2), countUpTo(list, 6), countUpTo(list, 99)]).toEqual([0, 1, 2, 3]);
    expect([latestUpTo(list, 1), latestUpTo(list, 5), latestUpTo(list, 8)]).toEqual([-1, 5, 5]);
  });

  it('clamps step numbers, and takes a trace of only a header', () => {
    expect(clampStep(model, -3)).toBe(0);
    expect(clampStep(model, 1e9)).toBe(model.count - 1);
    expect(clampStep(model, Number.NaN)).toBe(0);
    expect(buildSteps([greeting[0]!]).count).toBe(0);
  });

  it('keeps a record type it does not know as a step, with a caption naming it, never a crash', () => {
    const odd = [...greeting.slice(0, 5), { seq: 99, t: 1, type: 'teleport', actor: 'server1', where: 'moon' } as unknown as TraceRecord];
    const m = buildSteps(odd);
    const last = m.count - 1;
    expect(recordAt(m, last).type).toBe('teleport');
    expect(captionAt(m, last)).toBe('server1 left a “teleport” record, which this page does not know how to show.');
    expect(glyphOf(recordAt(m, last), contextAt(m, last))).toMatchObject({ kind: 'note', label: 'teleport' });
    // A known type with fields missing is not a crash either.
    const broken = [...greeting.slice(0, 5), { seq: 99, t: 1, type: 'listen', actor: 'server1' } as unknown as TraceRecord];
    const b = buildSteps(broken);
    expect(captionAt(b, b.count - 1)).toContain('“listen” record');
  });
});

describe('where a recv’s bytes are', () => {
  it('reads a recv’s bytes from the peer’s sends by offset, across send boundaries', () => {
    const base = { t: 0, actor: 'a', conn: 'c1' } as const;
    const send = (seq: number, offset: number, s: string): SendRecord & { seq: number; t: number } => {
      const data = new TextEncoder().encode(s);
      return { ...base, seq, type: 'send', end: 'acceptor', offered: data.length, accepted: data.length, offset, data };
    };
    const recv = (seq: number, offset: number, size: number): RecvRecord & { seq: number; t: number } => ({
      ...base,
      seq,
      actor: 'b',
      type: 'recv',
      end: 'connector',
      max: 1024,
      offset,
      size,
    });
    const records = [send(1, 0, 'hello '), send(2, 6, 'world'), recv(3, 3, 6)] as TraceRecord[];
    const streams = buildStreams(records);
    expect(text(recordBytes(streams, records[2] as RecvRecord, 100))).toBe('lo wor');
    expect(text(streamBytes(streams, 'c1', 'acceptor', 0, 11))).toBe('hello world');
    expect(text(streamBytes(streams, 'c1', 'acceptor', 9, 100))).toBe('ld');
    // Nothing sent that way: the trace does not hold them.
    expect(streamBytes(streams, 'c1', 'connector', 0, 4)).toBeNull();
    expect(streamBytes(streams, 'c9', 'acceptor', 0, 4)).toBeNull();
    // A recv that carries its own bytes (the peer was not traced) shows those; end of data is empty.
    expect(text(recordBytes(streams, { ...recv(4, 0, 2), data: bytes(0x6f, 0x6b) }, 10))).toBe('ok');
    expect(recordBytes(streams, recv(5, 11, 0), 10)).toEqual(new Uint8Array(0));
  });

  it('stores each byte once in a real run, and the page still shows every recv’s bytes', () => {
    for (const trace of [greeting, threads]) {
      const streams = buildStreams(trace);
      for (const r of trace) {
        if (r.type !== 'recv') continue;
        expect(r.data).toBeUndefined();
        const got = recordBytes(streams, r, r.size);
        expect(got?.length ?? 0).toBe(r.size);
      }
    }
    const streams = buildStreams(greeting);
    const firstRecv = greeting.find((r): r is RecvRecord & { seq: number; t: number } => r.type === 'recv' && r.size > 0)!;
    expect(text(recordBytes(streams, firstRecv, 100))).toBe('You are connected'.slice(0, firstRecv.size));
  });
});

describe('byte rows', () => {
  it('describe each call, its bytes previewed from the stream', () => {
    const model = buildSteps(greeting);
    const streams = buildStreams(greeting);
    const rows = Array.from(model.byteRows, (_, i) => byteRow(model, streams, i));
    expect(rows[0]).toMatchObject({ call: 'send', end: 'acceptor', size: 17, asked: 17 });
    expect(text(rows[0]!.preview)).toBe('You are connected');
    expect(rows.at(-1)).toMatchObject({ call: 'recv', size: 0, asked: 1024 });
    expect(byteWindow(model, model.count - 1, 2)).toEqual({ first: rows.length - 2, total: rows.length });
  });

  it('cut a long call at PREVIEW_BYTES without splitting a character', () => {
    const long = new TextEncoder().encode('é'.repeat(40)); // 80 bytes, 2 per character
    const send = { seq: 1, t: 0, type: 'send', actor: 'a', conn: 'c1', end: 'acceptor', offered: 80, accepted: 80, offset: 0, data: long } as TraceRecord;
    const model = buildSteps([{ seq: 0, t: 0, type: 'run', version: 2, transport: 'sim', startedAt: 0 }, send]);
    const row = byteRow(model, buildStreams(model.records), 0);
    expect(row.preview!.length).toBe(PREVIEW_BYTES);
    expect(text(row.preview)).toBe('é'.repeat(PREVIEW_BYTES / 2));
    expect(previewCut(long, 47)).toBe(46);
  });
});

describe('dump lines', () => {
  it('put 16 bytes per line, hex and the same bytes’ text side by side', () => {
    const data = new TextEncoder().encode('+OK ready: send LIST or QUIT\r\n');
    const lines = dumpLines(data);
    expect(lines.map((l) => l.offset)).toEqual([0, 16]);
    expect(lines[0]!.hex).toBe(toHex(data.subarray(0, 16)));
    expect(lines[0]!.hex.split(' ')).toHaveLength(16);
    expect(lines[0]!.text).toEqual([{ kind: 'text', text: '+OK ready: send ' }]);
    expect(lines[1]!.text).toEqual([
      { kind: 'text', text: 'LIST or QUIT' },
      { kind: 'control', text: '\\r' },
      { kind: 'control', text: '\\n' },
    ]);
  });

  it('show a character on the line where its bytes start, and invalid bytes as hex', () => {
    // 15 ASCII bytes, then 'é' (c3 a9) straddling the line break, then 0xff.
    const data = new Uint8Array([...new TextEncoder().encode('a'.repeat(15)), 0xc3, 0xa9, 0xff]);
    const [first, second] = dumpLines(data);
    expect(first!.text).toEqual([{ kind: 'text', text: `${'a'.repeat(15)}é` }]);
    expect(second!.text).toEqual([{ kind: 'invalid', text: '\\xff' }]);
    expect(decodeBytes(bytes(0x68, 0xff, 0x69))).toEqual([
      { kind: 'text', text: 'h' },
      { kind: 'invalid', text: '\\xff' },
      { kind: 'text', text: 'i' },
    ]);
  });
});

describe('roles', () => {
  it('come from the actor record, then the lesson, then what an actor does', () => {
    const model = buildSteps(threads);
    const roles = rolesOf(model, fxRoles);
    expect(Object.fromEntries(roles)).toEqual({
      fxserver: 'server',
      fxclient1: 'client',
      fxclient2: 'client',
      fxclient3: 'client',
      session1: 'session',
      session2: 'session',
      session3: 'session',
    });
    // Without roles in the trace or the lesson: a child is a session, a listener a server, the rest clients.
    const bare = threads.map((r) => (r.type === 'actor' ? { ...r, role: undefined } : r)) as TraceRecord[];
    expect(Object.fromEntries(rolesOf(buildSteps(bare)))).toMatchObject({ fxserver: 'server', session2: 'session', fxclient3: 'client' });
  });
});

describe('the sequence diagram’s lanes', () => {
  const model = buildSteps(threads);
  const roles = rolesOf(model, fxRoles);
  const seq = buildSequence(model, roles);

  it('group the server, then its sessions, then the clients, a lane each', () => {
    expect(seq.groups.map((g) => [g.title, g.side, g.columns.length])).toEqual([
      ['', 'left', 1],
      ["fxserver's sessions", 'left', 3],
      ['clients', 'right', 3],
    ]);
    const columnOf = (actor: string) => seq.laneOf.get(actor)!.column;
    expect(['fxserver', 'session1', 'session2', 'session3', 'fxclient1', 'fxclient2', 'fxclient3'].map(columnOf)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('label connections with what they are for, from the listener', () => {
    expect(seq.conns.map((c) => [c.conn, c.label])).toEqual([
      ['c1', 'control'],
      ['c2', 'control'],
      ['c3', 'control'],
    ]);
    expect(seq.listeners).toMatchObject([{ listener: 'l1', actor: 'fxserver', label: 'control' }]);
  });

  it('reuse a column once its actor has ended, and its connection column once closed', () => {
    // Clients of the iterative server wait in its backlog, connected: their connections are open at once.
    expect(buildSequence(buildSteps(iterative), rolesOf(buildSteps(iterative), fxRoles)).slots).toBe(3);
    // A connection opened after the last one closed takes its column.
    const n0 = greeting.length;
    const again = [
      ...greeting,
      { seq: n0, t: 9, type: 'connect', actor: 'client1', conn: 'c2', end: 'connector', local: { host: '::1', port: 2 }, remote: { host: '::1', port: 1 } },
    ] as TraceRecord[];
    const reused = buildSequence(buildSteps(again), new Map());
    expect(reused.slots).toBe(1);
    expect(reused.bySlot[0]!.map((c) => c.conn)).toEqual(['c1', 'c2']);
    // A long run of sessions one after another: three ended sessions leave room for the fourth.
    const later = [...threads];
    const n = later.length;
    later.push(
      { seq: n, t: 99, type: 'actor', actor: 'session4', machine: 'fxsession', parent: 'fxserver', role: 'session' },
      { seq: n + 1, t: 99, type: 'status', actor: 'session4', status: 'done' },
    );
    const s4 = buildSequence(buildSteps(later), rolesOf(buildSteps(later), fxRoles));
    expect(s4.groups[1]!.columns.length).toBe(3);
    const column = s4.columns[s4.laneOf.get('session4')!.column]!;
    expect(column.spans.map((s) => s.actor)).toEqual([expect.stringMatching(/^session[123]$/), 'session4']);
    expect(spanAt(column, buildSteps(later).count - 1)!.actor).toBe('session4');
  });

  it('finds the connections shown in a window', () => {
    const all = connsInWindow(seq, 0, model.count - 1).map((c) => c.conn).sort();
    expect(all).toEqual(['c1', 'c2', 'c3']);
    expect(connsInWindow(seq, 0, 0)).toEqual([]);
  });

  it('labels arrows as the socket calls define them, and puts prints on their lane', () => {
    const labels = Array.from({ length: model.count }, (_, s) => glyphOf(recordAt(model, s), contextAt(model, s)));
    expect(labels).toContainEqual({ kind: 'arrow', actor: 'session1', conn: 'c1', toward: 'wire', label: 'send 3 bytes', tone: 'bytes' });
    expect(labels).toContainEqual({ kind: 'arrow', actor: 'fxserver', conn: 'c1', toward: 'actor', label: 'accept() → c1 (control)', tone: 'call' });
    expect(labels).toContainEqual({ kind: 'note', actor: 'session1', label: 'print "echo yo"', tone: 'print' });
    expect(labels).toContainEqual({ kind: 'note', actor: 'session2', label: 'session2 starts', tone: 'state' });
  });
});

describe('the sequence diagram’s geometry', () => {
  const model = buildSteps(threads);
  const seq = buildSequence(model, rolesOf(model, fxRoles));

  it('places lanes left to right: server, sessions, connections, clients', () => {
    const g = geometryOf(seq, 1000);
    expect(g.width).toBe(1000);
    const xs = [0, 1, 2, 3].map((c) => g.columnX[c]!);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(Math.max(...xs)).toBeLessThan(g.slotX[0]!);
    expect(g.slotX.at(-1)!).toBeLessThan(g.columnX[4]!);
    expect(g.columnX[6]! + g.columnWidth / 2).toBeCloseTo(1000 - 12);
    expect(g.columnX[0]! - g.columnWidth / 2).toBe(STEP_STRIP);
  });

  it('grows wider than its box rather than squeeze lanes', () => {
    const g = geometryOf(seq, 300);
    expect(g.width).toBeGreaterThan(300);
    expect(g.columnWidth).toBeGreaterThanOrEqual(MIN_LANE);
  });

  it('fits and clamps labels', () => {
    expect(fitText('session12345', 50, 10)).toBe('sess…');
    expect(fitText('c1', 50, 10)).toBe('c1');
    expect(clampLabel(0, 10, 500)).toBeGreaterThanOrEqual(STEP_STRIP);
    expect(clampLabel(499, 10, 500)).toBeLessThan(499);
  });
});

describe('which actor a chart follows', () => {
  const model = buildSteps(threads);
  const sessions = actorsByMachine(model).get('fxsession')!;

  it('follows the current step’s actor, else the one that acted last', () => {
    expect(sessions.map((a) => a.actor)).toEqual(['session1', 'session2', 'session3']);
    for (let s = 0; s < model.count; s++) {
      const r = recordAt(model, s) as { actor?: string };
      const followed = followedActor(model, sessions, s, null)!;
      if (sessions.some((a) => a.actor === r.actor)) expect(followed.actor).toBe(r.actor);
    }
    // A step of a client: the session that acted most recently.
    const step = model.count - 1;
    expect(followedActor(model, sessions, step, null)!.actor).toBe('session3');
    expect(followedActor(model, sessions, step, 'session1')!.actor).toBe('session1');
    expect(followedActor(model, sessions, step, 'nobody')!.actor).toBe('session3');
  });

  it('lists all when few, only the running ones when many', () => {
    expect(listedActors(sessions, model.count - 1, null)).toEqual({ listed: sessions, others: 0 });
    const many = Array.from({ length: 20 }, (_, i) => ({ ...sessions[0]!, actor: `s${i}`, first: i, end: i < 15 ? i + 1 : -1 }));
    const { listed, others } = listedActors(many, 19, many[2]!);
    expect(listed.length).toBeLessThanOrEqual(MAX_LISTED);
    expect(listed).toContain(many[2]);
    expect(listed).toContain(many[19]);
    expect(others).toBe(20 - listed.length);
    expect([actorTag('session12', 0), actorTag('client2#3', 0), actorTag('server', 4)]).toEqual(['12', '2#3', '5']);
  });
});

describe('what the programs print, and how the run ends', () => {
  it('collects each actor’s prints up to a step', () => {
    const model = buildSteps(threads);
    const session1 = model.byActor.get('session1')!;
    expect(printsUpTo(model, session1, 0)).toEqual([]);
    expect(printsUpTo(model, session1, model.count - 1).map((p) => p.text)).toEqual(['echo yo']);
  });

  it('summarises the run in plain sentences', () => {
    const model = buildSteps(threads);
    const summary = summarize(model, rolesOf(model, fxRoles));
    expect(summary).toMatchObject({ connections: 3, sent: 27, received: 27, transport: 'sim' });
    const [outcomes, totals] = summaryText(summary);
    expect(outcomes).toContain('fxclient1, fxclient2, fxclient3 finished ✓');
    expect(outcomes).toContain('session1, session2, session3 finished ✓');
    expect(outcomes).toContain('fxserver was stopped (the run ended)');
    expect(totals).toMatch(/^3 connections: 27 bytes sent, 27 bytes received, in \d+ ms of simulated time\.$/);
  });
});

describe('each client’s timeline', () => {
  it('shows clients waiting in the backlog with the iterative server, not with a session per client', () => {
    const threaded = clientTimeline(threads, fxRoles);
    const oneAtATime = clientTimeline(iterative, fxRoles);
    expect(threaded.clients.map((c) => c.actor)).toEqual(['fxclient1', 'fxclient2', 'fxclient3']);
    expect(threaded.unit).toBe('ms');
    for (const c of [...threaded.clients, ...oneAtATime.clients]) {
      expect(c.connected).not.toBeNull();
      expect(c.accepted!).toBeGreaterThanOrEqual(c.connected!);
      expect(c.end!).toBeGreaterThanOrEqual(c.accepted!);
      expect(c.failed).toBe(false);
    }
    expect(Math.max(...backlogWaits(threaded))).toBeLessThan(Math.max(...backlogWaits(oneAtATime)));
    expect(Math.max(...oneAtATime.clients.map((c) => c.end!))).toBeGreaterThan(Math.max(...threaded.clients.map((c) => c.end!)));
  });
});

describe('a long run, one server after another', () => {
  it('keeps the columns few: servers that follow one another share their sessions’ columns', async () => {
    const { repeatTrace } = await import('./bench/ui-synthetic-trace.ts');
    const long = repeatTrace(threads, threads.length * 20);
    const model = buildSteps(long);
    const seq = buildSequence(model, rolesOf(model, fxRoles));
    expect(model.actors.length).toBeGreaterThan(100);
    // One server column, three session columns, three client columns: as for one round.
    expect(seq.columns.length).toBe(7);
    expect(seq.groups.map((g) => g.title)).toEqual(['servers', 'sessions', 'clients']);
  });
});
