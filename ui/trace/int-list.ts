/**
 * A list of whole numbers that grows at its end, kept in one typed array:
 * `push` is O(1) amortised (the array doubles when it is full) and `view()`
 * is the filled part, without a copy. The page's models append to these
 * as records arrive (a live run, a file read as it streams) and hand out
 * the views, so a batch of records costs what its records cost, never a
 * rebuild of what came before.
 *
 * A view is a snapshot: it keeps its length when more is pushed (and its
 * old buffer when the list grows), so a model refreshes its views after
 * each batch.
 */
export class IntList {
  private data: Int32Array;
  length = 0;

  constructor(capacity = 8) {
    this.data = new Int32Array(Math.max(1, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  /** Change an entry already pushed. */
  set(index: number, value: number): void {
    if (index < 0 || index >= this.length) throw new RangeError(`no entry ${index} in a list of ${this.length}`);
    this.data[index] = value;
  }

  at(index: number): number {
    return this.data[index]!;
  }

  /** The entries pushed so far, as a typed array sharing this list's memory. */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}
