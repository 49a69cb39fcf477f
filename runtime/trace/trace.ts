/**
 * Collects one run's records, numbering and timing each as it arrives.
 * Listeners see every record as it is added (the CLI prints them, a file
 * writer writes them, the live bridge streams them). Browser-safe.
 */
import { TRACE_VERSION, type RunRecord, type TraceRecord, type UnstampedRecord } from './records.ts';
import type { TransportKind } from '../transport/types.ts';
import type { ConnEnd, Endpoint } from '../../machines/socket-calls.ts';

export interface TraceOptions {
  transport: TransportKind;
  /** The transport's clock, in ms. Record times are measured from the first reading. */
  clock: () => number;
  /** Wall-clock time the run began; default `Date.now()`. A simulated run passes 0 to stay repeatable. */
  startedAt?: number;
  lesson?: string;
  scenario?: string;
  seed?: number;
  /**
   * Keep at most this many records in `records` (the header always stays).
   * A server that runs for days streams its records to listeners and a
   * file; it must not also hold every one of them in memory. Default: all.
   */
  retain?: number;
  /**
   * Keep at most about this many bytes of data (the `Uint8Array`s that
   * records hold: sends, recvs, file reads and writes) in `records`, however
   * few records that is: a window of 1,000 records of a megabyte each would
   * hold a gigabyte. Trimmed in batches, so up to twice this is held at
   * times, plus the newest record. Default: no limit but `retain`.
   */
  retainBytes?: number;
}

/**
 * The bytes a record holds in memory: its `data`, the trace's one field of
 * bytes (sends, recvs, file reads and writes, a transfer's first bytes).
 * Two records that share one array (a recv's bytes written to a file)
 * count it twice.
 */
export function heldBytes(record: TraceRecord): number {
  const data = (record as { data?: unknown }).data;
  return data instanceof Uint8Array ? data.byteLength : 0;
}

export type TraceListener = (record: TraceRecord) => void;

/** Connections seen from one end only that a trace remembers, to give the other end the same id. */
export const MAX_UNPAIRED_CONNECTIONS = 4096;

export class Trace {
  readonly records: TraceRecord[] = [];
  readonly header: RunRecord;
  private readonly listeners = new Set<TraceListener>();
  private readonly clock: () => number;
  private readonly start: number;
  /** Connection ids by the connection's two addresses, so both ends of one connection share an id (until both are seen). */
  private readonly connIds = new Map<string, { id: string; ends: Set<ConnEnd> }>();
  private connCount = 0;
  private listenerCount = 0;
  private readonly retain: number;
  private readonly retainBytes: number;
  /** Bytes held by the records in `records` (heldBytes), while `retainBytes` is finite. */
  private bytes = 0;
  /** Records added so far, header included: the next record's `seq`. */
  private count = 1;

  constructor(options: TraceOptions) {
    this.clock = options.clock;
    this.retain = options.retain ?? Infinity;
    if (!(this.retain >= 1)) throw new RangeError(`retain must be at least 1 (got ${options.retain})`);
    this.retainBytes = options.retainBytes ?? Infinity;
    if (!(this.retainBytes >= 0)) throw new RangeError(`retainBytes must be 0 or more (got ${options.retainBytes})`);
    this.start = options.clock();
    const header: RunRecord = {
      seq: 0,
      t: 0,
      type: 'run',
      version: TRACE_VERSION,
      transport: options.transport,
      startedAt: options.startedAt ?? Date.now(),
    };
    if (options.lesson !== undefined) header.lesson = options.lesson;
    if (options.scenario !== undefined) header.scenario = options.scenario;
    if (options.seed !== undefined) header.seed = options.seed;
    this.header = header;
    this.records.push(header);
  }

  /** Records no longer held in `records` because of `retain` or `retainBytes` (they still reached every listener). */
  get dropped(): number {
    return this.count - this.records.length;
  }

  /** Stamp a record with its sequence number and time, keep it and tell the listeners. */
  add(record: UnstampedRecord): TraceRecord {
    // Real clocks give fractions of a millisecond; keep three decimals so traces stay compact.
    const t = Math.round((this.clock() - this.start) * 1000) / 1000;
    const stamped = { seq: this.count++, t, ...record } as TraceRecord;
    this.records.push(stamped);
    // Trim in batches, so that trimming costs O(1) per record on average.
    if (this.records.length > 1 + 2 * this.retain) this.drop(this.records.length - 1 - this.retain);
    if (this.retainBytes !== Infinity) {
      this.bytes += heldBytes(stamped);
      if (this.bytes > 2 * this.retainBytes) this.dropBytes();
    }
    for (const listener of this.listeners) listener(stamped);
    return stamped;
  }

  /** Drop the `n` oldest records after the header. */
  private drop(n: number): void {
    const gone = this.records.splice(1, n);
    if (this.retainBytes !== Infinity) for (const r of gone) this.bytes -= heldBytes(r);
  }

  /** Drop the oldest records until those left hold at most `retainBytes` (the newest record always stays). */
  private dropBytes(): void {
    let n = 0;
    let bytes = this.bytes;
    while (bytes > this.retainBytes && 1 + n < this.records.length - 1) bytes -= heldBytes(this.records[1 + n++]!);
    this.drop(n);
  }

  /** Hear every record from now on; returns the way to stop. */
  subscribe(listener: TraceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The id of the connection between two addresses: the same whichever end
   * asks, so a run that holds both ends (client and server in one process)
   * draws them as one connection. Each end sees a connection once; a second
   * sighting from the same end is a new connection reusing the addresses.
   */
  connectionId(end: ConnEnd, local: Endpoint, remote: Endpoint): string {
    const key = [`${local.host}|${local.port}`, `${remote.host}|${remote.port}`].sort().join(' ');
    const known = this.connIds.get(key);
    if (known !== undefined && !known.ends.has(end)) {
      // Both ends seen: nothing more can match it (a third sighting is a new connection).
      this.connIds.delete(key);
      return known.id;
    }
    this.connCount += 1;
    const id = `c${this.connCount}`;
    // Insertion order is age: a re-used key goes to the back.
    this.connIds.delete(key);
    this.connIds.set(key, { id, ends: new Set([end]) });
    // A server whose clients are other programs sees one end of each connection only: forget the
    // oldest, whose other end would long since have shown up (the two ends of a connection in one
    // run are seen within the same few milliseconds), so a server that runs for days holds a bounded map.
    if (this.connIds.size > MAX_UNPAIRED_CONNECTIONS) this.connIds.delete(this.connIds.keys().next().value!);
    return id;
  }

  /** A fresh listener id: 'l1', 'l2', ... */
  listenerId(): string {
    this.listenerCount += 1;
    return `l${this.listenerCount}`;
  }
}
