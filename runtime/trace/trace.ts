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
}

export type TraceListener = (record: TraceRecord) => void;

export class Trace {
  readonly records: TraceRecord[] = [];
  readonly header: RunRecord;
  private readonly listeners = new Set<TraceListener>();
  private readonly clock: () => number;
  private readonly start: number;
  /** Connection ids by the connection's two addresses, so both ends of one connection share an id. */
  private readonly connIds = new Map<string, { id: string; ends: Set<ConnEnd> }>();
  private connCount = 0;
  private listenerCount = 0;
  private readonly retain: number;
  /** Records added so far, header included: the next record's `seq`. */
  private count = 1;

  constructor(options: TraceOptions) {
    this.clock = options.clock;
    this.retain = options.retain ?? Infinity;
    if (!(this.retain >= 1)) throw new RangeError(`retain must be at least 1 (got ${options.retain})`);
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

  /** Records no longer held in `records` because of `retain` (they still reached every listener). */
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
    if (this.records.length > 1 + 2 * this.retain) this.records.splice(1, this.records.length - 1 - this.retain);
    for (const listener of this.listeners) listener(stamped);
    return stamped;
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
      known.ends.add(end);
      return known.id;
    }
    this.connCount += 1;
    const id = `c${this.connCount}`;
    this.connIds.set(key, { id, ends: new Set([end]) });
    return id;
  }

  /** A fresh listener id: 'l1', 'l2', ... */
  listenerId(): string {
    this.listenerCount += 1;
    return `l${this.listenerCount}`;
  }
}
