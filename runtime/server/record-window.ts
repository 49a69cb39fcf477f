/**
 * The records of one live run that the app still holds, as JSON lines
 * ready to stream: the newest ones, at most `maxRecords` of them and at
 * most `maxBytes` of JSON text, so a run that never ends costs bounded
 * memory. The whole trace goes to a file when the run was asked to write
 * one; this is only what a page that opens (or reopens) the run can catch
 * up on.
 *
 * A few older records stay beyond the window because a page cannot draw
 * the rest without them ("sticky" records, at most `maxSticky`):
 * - the `run` header (transport, lesson, start time);
 * - the `actor` record of every actor that has not ended yet (its lane,
 *   role and parent): a server that has run for a day still needs its lane.
 *
 * Reading from a point (`read(after)`: every record with a larger `seq`)
 * says what is missing when the point is older than the window: the
 * records between `after` and the window, except the sticky ones, are
 * "dropped", and the reader is told how many.
 */

export interface WindowLimits {
  /** Records held at most (sticky ones aside). */
  maxRecords: number;
  /** JSON text held at most, in UTF-16 code units (about bytes for ASCII). */
  maxBytes: number;
  /** Records kept beyond the window at most: the header and the actors still running. */
  maxSticky: number;
}

export const DEFAULT_WINDOW: WindowLimits = {
  maxRecords: 100_000,
  maxBytes: 64 * 1024 * 1024,
  maxSticky: 256,
};

export interface WindowEntry {
  seq: number;
  /** The record as one line of JSON (runtime/trace/json.ts `recordToJson`). */
  line: string;
}

/** What a reader missed: records with `after < seq < before`, `count` of them, are no longer held. */
export interface Dropped {
  after: number;
  before: number;
  count: number;
}

export interface WindowRead {
  dropped: Dropped | null;
  entries: WindowEntry[];
}

/** What the window needs to know of a record besides its line: whether it must outlive the window. */
export interface RecordKind {
  type: string;
  actor?: string;
}

export class RecordWindow {
  private seqs: number[] = [];
  private lines: string[] = [];
  /** Index of the oldest record held in `seqs`/`lines` (older slots are trimmed in batches). */
  private head = 0;
  private heldBytes = 0;
  /** Records kept beyond the window, in seq order. */
  private sticky: WindowEntry[] = [];
  /** The seq of the `actor` record of each actor that has not ended. */
  private readonly liveActors = new Map<string, number>();
  /** Seqs that must outlive the window: the header's and those in `liveActors`. */
  private readonly keep = new Set<number>();
  /** The highest seq that left the window (moved to `sticky` or dropped); -1 while none has. */
  private evictedUpTo = -1;
  private droppedCount = 0;
  /** The highest seq added; -1 while empty. */
  lastSeq = -1;

  constructor(readonly limits: WindowLimits = DEFAULT_WINDOW) {
    if (!(limits.maxRecords >= 1) || !(limits.maxBytes >= 1) || !(limits.maxSticky >= 1)) {
      throw new RangeError('a record window holds at least one record, one byte and one sticky record');
    }
  }

  /** Records held in the window (sticky ones aside). */
  get size(): number {
    return this.seqs.length - this.head;
  }

  /** JSON text held in the window, in UTF-16 code units. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Records no longer held at all. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** The seq of the oldest record in the window, or null when it is empty. */
  get firstSeq(): number | null {
    return this.size === 0 ? null : this.seqs[this.head]!;
  }

  /** Add the next record; `seq` must be larger than every seq added before. */
  add(seq: number, line: string, kind: RecordKind): void {
    if (!(seq > this.lastSeq)) throw new RangeError(`records must be added in seq order (${seq} after ${this.lastSeq})`);
    this.lastSeq = seq;
    this.seqs.push(seq);
    this.lines.push(line);
    this.heldBytes += line.length;
    if (kind.type === 'run') this.keep.add(seq);
    if (kind.type === 'actor' && kind.actor !== undefined) {
      // A second actor of the same name (a restarted program) replaces the first.
      this.actorEnded(kind.actor);
      this.liveActors.set(kind.actor, seq);
      this.keep.add(seq);
    }
    if (kind.type === 'status' && kind.actor !== undefined) this.actorEnded(kind.actor);
    this.trim();
  }

  /**
   * Every record with seq > `after`, oldest first, at most about `maxCount`
   * of the window's (sticky records owed to the reader always come whole);
   * `dropped` says which were not kept. At least one window record is
   * returned when there is one, so a reader always moves past a drop.
   */
  read(after: number, maxCount = Infinity): WindowRead {
    const entries: WindowEntry[] = [];
    let dropped: Dropped | null = null;
    if (after < this.evictedUpTo) {
      const before = this.firstSeq ?? this.lastSeq + 1;
      const owed = this.sticky.filter((e) => e.seq > after && e.seq < before);
      entries.push(...owed);
      const count = before - after - 1 - owed.length;
      if (count > 0) dropped = { after, before, count };
    }
    const start = this.indexAfter(after);
    const end = Math.min(this.seqs.length, start + Math.max(1, maxCount));
    for (let i = start; i < end; i++) entries.push({ seq: this.seqs[i]!, line: this.lines[i]! });
    return { dropped, entries };
  }

  /** The index in `seqs` of the first record with seq > `after` (binary search). */
  private indexAfter(after: number): number {
    let low = this.head;
    let high = this.seqs.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.seqs[mid]! <= after) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** An actor ended: its `actor` record no longer needs to outlive the window. */
  private actorEnded(actor: string): void {
    const seq = this.liveActors.get(actor);
    if (seq === undefined) return;
    this.liveActors.delete(actor);
    this.keep.delete(seq);
    const at = this.sticky.findIndex((e) => e.seq === seq);
    if (at >= 0) {
      this.sticky.splice(at, 1);
      this.droppedCount += 1;
    }
  }

  /** Move the oldest records out until the limits hold; the newest record always stays. */
  private trim(): void {
    const { maxRecords, maxBytes } = this.limits;
    while (this.size > 1 && (this.size > maxRecords || this.heldBytes > maxBytes)) {
      const seq = this.seqs[this.head]!;
      const line = this.lines[this.head]!;
      // Let the text go now, not at the next batch trim: maxBytes is about memory.
      this.lines[this.head] = '';
      this.head += 1;
      this.heldBytes -= line.length;
      this.evictedUpTo = seq;
      if (this.keep.has(seq)) this.keepSticky({ seq, line });
      else this.droppedCount += 1;
    }
    // Forget trimmed slots in batches, so trimming costs O(1) per record on average.
    if (this.head > 1024 && this.head * 2 > this.seqs.length) {
      this.seqs = this.seqs.slice(this.head);
      this.lines = this.lines.slice(this.head);
      this.head = 0;
    }
  }

  private keepSticky(entry: WindowEntry): void {
    this.sticky.push(entry);
    if (this.sticky.length <= this.limits.maxSticky) return;
    // Too many running actors to keep them all: the oldest actor record goes (the header stays).
    const at = this.sticky.findIndex((e) => this.liveActorSeq(e.seq));
    const removed = this.sticky.splice(at < 0 ? 0 : at, 1)[0]!;
    this.keep.delete(removed.seq);
    for (const [actor, seq] of this.liveActors) if (seq === removed.seq) this.liveActors.delete(actor);
    this.droppedCount += 1;
  }

  private liveActorSeq(seq: number): boolean {
    for (const live of this.liveActors.values()) if (live === seq) return true;
    return false;
  }
}
