/**
 * A small EventSource over node:http for tests and the streaming benchmark:
 * parses server-sent events as the HTML standard says (fields `event`,
 * `id`, `data`, comments, a blank line ends an event), without reconnecting
 * (a test reconnects itself, with Last-Event-ID or ?after=, to check resuming).
 */
import http from 'node:http';

export interface SseEvent {
  event: string;
  /** The `id:` field of this event, or null when it had none. */
  id: string | null;
  data: string;
}

export class SseReader {
  readonly events: SseEvent[] = [];
  status = 0;
  headers: http.IncomingHttpHeaders = {};
  /** Resolves when the server ends the stream (or it fails). */
  readonly closed: Promise<void>;
  /** The last `id:` seen, as EventSource keeps it. */
  lastEventId = '';
  private buffer = '';
  private readonly req: http.ClientRequest;
  private waiters: { test: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  private markClosed!: () => void;

  constructor(
    url: string,
    headers: Record<string, string> = {},
    /** Called for every event as it arrives (the benchmark counts records here). */
    private readonly onEvent?: (event: SseEvent) => void,
    /** Keep events in `events` (tests); the benchmark does not. */
    private readonly keep = true,
  ) {
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
    this.req = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      this.status = res.statusCode ?? 0;
      this.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => this.feed(chunk));
      res.on('end', () => this.markClosed());
      res.on('close', () => this.markClosed());
    });
    this.req.on('error', () => this.markClosed());
  }

  /** Resolves once the response headers are in. */
  async opened(): Promise<void> {
    while (this.status === 0) await new Promise((r) => setTimeout(r, 5));
  }

  /** The first event (already seen or still to come) that passes `test`. */
  waitFor(test: (e: SseEvent) => boolean, timeoutMs = 10_000): Promise<SseEvent> {
    const seen = this.events.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no such event within ${timeoutMs} ms; got ${this.events.map((e) => e.event).join(', ')}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  /** Every record received so far, parsed. */
  records(): { seq: number; type: string; [key: string]: unknown }[] {
    return this.events.filter((e) => e.event === 'records').flatMap((e) => e.data.split('\n').map((line) => JSON.parse(line)));
  }

  close(): void {
    this.req.destroy();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end < 0) return;
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.dispatch(block);
    }
  }

  private dispatch(block: string): void {
    let event = 'message';
    let id: string | null = null;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (id !== null) this.lastEventId = id;
    if (data.length === 0) return;
    const e: SseEvent = { event, id, data: data.join('\n') };
    if (this.keep) this.events.push(e);
    this.onEvent?.(e);
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(e)) return true;
      w.resolve(e);
      return false;
    });
  }
}
