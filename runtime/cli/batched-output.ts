/**
 * Lines for stdout, written in batches: every line printed in one turn of
 * the event loop goes out in one write. `sockstep run` prints a line per
 * trace record, and a transfer makes thousands of records a second; as one
 * `console.log` each, that was a system call per line (a blocking one:
 * Node writes to pipes, files and terminals synchronously on Linux) and a
 * wake-up of whatever reads them, a quarter of lesson 5's server's time.
 *
 * Nothing is lost or reordered: the batch goes out before the process
 * exits, before anything is written to stderr (so that an error line
 * still follows the lines before it on a terminal), and once it passes
 * MAX_BATCH_CHARS.
 */
/** A batch is written once it holds this much text, whatever the turn. */
export const MAX_BATCH_CHARS = 64 * 1024;

export interface LineSink {
  /** Where the batch goes (one call per batch); stdout by default. */
  write(text: string): void;
  /** Run `flush` at the end of this turn of the event loop. */
  later(flush: () => void): void;
}

/** process.stdout, as console.log writes it (its errors, EPIPE, go to the stream's 'error' listeners: bin.js). */
const STDOUT: LineSink = {
  write: (text) => void process.stdout.write(text),
  later: (flush) => void setImmediate(flush),
};

export class BatchedLines {
  private batch: string[] = [];
  private chars = 0;
  private scheduled = false;

  constructor(private readonly sink: LineSink = STDOUT) {}

  /** Queue one line (its "\n" is added). */
  line(text: string): void {
    this.batch.push(text);
    this.chars += text.length + 1;
    if (this.chars >= MAX_BATCH_CHARS) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      this.sink.later(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** Write what is queued, now. */
  flush(): void {
    if (this.batch.length === 0) return;
    const text = `${this.batch.join('\n')}\n`;
    this.batch = [];
    this.chars = 0;
    this.sink.write(text);
  }
}
