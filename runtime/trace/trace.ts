/**
 * Collects one run's records, numbering and timing each as it arrives.
 * Listeners see every record as it is added (the CLI prints them, the live
 * bridge streams them). Browser-safe.
 */
import { TRACE_VERSION, type RunRecord, type TraceRecord, type Unstamped } from './records.ts';
import type { TransportKind } from '../transport/types.ts';

export interface TraceOptions {
  transport: TransportKind;
  /** The transport's clock, in ms. Record times are measured from the first reading. */
  clock: () => number;
  lesson?: string;
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
  private readonly listeners = new Set<TraceListener>();
  private readonly clock: () => number;
  private readonly start: number;
  /** Connection ids by the connection's two addresses, so both ends of one connection share an id. */
  private readonly connIds = new Map<string, { id: string; sides: Set<string> }>();
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
    const header: RunRecord = { seq: 0, t: 0, type: 'run', version: TRACE_VERSION, transport: options.transport };
    if (options.lesson !== undefined) header.lesson = options.lesson;
    if (options.seed !== undefined) header.seed = options.seed;
    this.records.push(header);
  }

  /** Stamp a record with its sequence number and time, keep it and tell the listeners. */
  add(record: Unstamped<TraceRecord>): TraceRecord {
    // Real clocks give fractions of a millisecond; keep three decimals so traces stay compact.
    const t = Math.round((this.clock() - this.start) * 1000) / 1000;
    const stamped = { seq: this.count++, t, ...record } as TraceRecord;
    this.records.push(stamped);
    // Trim in batches, so that trimming costs O(1) per record on average.
    if (this.records.length > 1 + 2 * this.retain) this.records.splice(1, this.records.length - 1 - this.retain);
    for (const listener of this.listeners) listener(stamped);
    return stamped;
  }

  subscribe(listener: TraceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The id of the connection between two addresses: the same whichever end
   * asks, so a run that holds both ends (client and server in one process)
   * draws them as one connection.
   */
  connectionId(
    side: 'client' | 'server',
    local: { host: string; port: number },
    remote: { host: string; port: number },
  ): string {
    const key = [`${local.host}|${local.port}`, `${remote.host}|${remote.port}`].sort().join(' ');
    const known = this.connIds.get(key);
    // Each side sees a connection once; a second sighting from the same side
    // is a new connection that happens to reuse the same address pair.
    if (known !== undefined && !known.sides.has(side)) {
      known.sides.add(side);
      return known.id;
    }
    this.connCount += 1;
    const id = `c${this.connCount}`;
    this.connIds.set(key, { id, sides: new Set([side]) });
    return id;
  }

  /** A fresh listener id: 'l1', 'l2', ... */
  listenerId(): string {
    this.listenerCount += 1;
    return `l${this.listenerCount}`;
  }

  /** The whole trace as JSON lines, one record per line. */
  toJSONL(): string {
    return this.records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  }
}

/** Read a JSON-lines trace back. Throws with the line number on malformed input. */
export function parseJSONL(text: string): TraceRecord[] {
  const records: TraceRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      records.push(JSON.parse(line) as TraceRecord);
    } catch (error) {
      throw new Error(`trace line ${i + 1} is not JSON: ${(error as Error).message}`);
    }
  }
  const header = records[0];
  if (header?.type !== 'run') throw new Error('a trace must begin with a "run" record');
  if (header.version !== 1) throw new Error(`trace version ${String(header.version)} is not supported (expected 1)`);
  return records;
}
