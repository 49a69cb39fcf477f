/**
 * Bytes that arrived and wait for recv(): a queue of chunks in arrival order.
 * Pure, no socket: the connection pushes what the socket delivers and takes
 * what recv() asks for.
 */
export class ReceiveBuffer {
  #chunks: Uint8Array[] = [];
  #size = 0;

  /** Bytes waiting. */
  get size(): number {
    return this.#size;
  }

  clear(): void {
    this.#chunks = [];
    this.#size = 0;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#size += chunk.length;
  }

  /**
   * Remove and return the first min(max, size) bytes. A plain Uint8Array
   * (never a Buffer): a view when one chunk holds them all, else a copy,
   * made in `into` when it is given and big enough (recv_into: a fresh
   * megabyte per call cost a file upload more in page faults and garbage
   * collection than the copy itself).
   */
  take(max: number, into?: Uint8Array): Uint8Array {
    const n = Math.min(max, this.#size);
    const first = this.#chunks[0];
    if (first !== undefined && first.length >= n) {
      this.#consume(n);
      return new Uint8Array(first.buffer, first.byteOffset, n);
    }
    const out = into !== undefined && into.length >= n ? new Uint8Array(into.buffer, into.byteOffset, n) : new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.#chunks[0]!;
      const part = Math.min(chunk.length, n - filled);
      out.set(chunk.subarray(0, part), filled);
      filled += part;
      this.#consume(part);
    }
    return out;
  }

  /** Drop `n` bytes from the front of the first chunk (n <= its length). */
  #consume(n: number): void {
    const first = this.#chunks[0]!;
    if (n === first.length) this.#chunks.shift();
    else this.#chunks[0] = first.subarray(n);
    this.#size -= n;
  }
}
