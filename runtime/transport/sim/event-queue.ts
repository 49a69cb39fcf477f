/**
 * The events waiting on the virtual clock, in a binary heap ordered by
 * (time, seq): earliest first, and among events due at the same time, the
 * one scheduled first. That tie-break is what makes a run repeatable.
 *
 * Browser-safe: no `node:` import.
 */

export class ScheduledEvent {
  /** Fired or cancelled: either way it must not fire (again). */
  done = false;
  constructor(
    readonly time: number,
    readonly seq: number,
    readonly fire: () => void,
  ) {}
}

function earlier(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

export class EventQueue {
  private heap: ScheduledEvent[] = [];
  /** Cancelled events still in the heap; they are skipped, or swept out when they pile up. */
  private cancelled = 0;

  /** Events that will still fire. */
  get size(): number {
    return this.heap.length - this.cancelled;
  }

  push(event: ScheduledEvent): void {
    this.heap.push(event);
    this.siftUp(this.heap.length - 1);
  }

  /** Mark an event so it never fires. */
  cancel(event: ScheduledEvent): void {
    if (event.done) return;
    event.done = true;
    this.cancelled++;
    // A recv timeout that data beat stays in the heap until its time; sweep
    // when most of the heap is such leftovers, so memory follows live events.
    if (this.cancelled > 1024 && this.cancelled * 2 > this.heap.length) this.sweep();
  }

  /** The next event to fire, left in place. */
  peek(): ScheduledEvent | undefined {
    while (this.heap.length > 0 && this.heap[0]!.done) {
      this.removeTop();
      this.cancelled--;
    }
    return this.heap[0];
  }

  /** Remove and return the next event to fire. */
  pop(): ScheduledEvent | undefined {
    const top = this.peek();
    if (top) this.removeTop();
    return top;
  }

  private removeTop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
  }

  private sweep(): void {
    this.heap = this.heap.filter((event) => !event.done);
    this.cancelled = 0;
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const event = heap[index]!;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!earlier(event, heap[parent]!)) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = event;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const event = heap[index]!;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && earlier(heap[right]!, heap[left]!) ? right : left;
      if (!earlier(heap[child]!, event)) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = event;
  }
}
