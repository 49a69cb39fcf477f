/**
 * A live run's records to the page as server-sent events (the HTML
 * standard's EventSource, "Server-sent events"), batched so that 10,000
 * records a second cost a few dozen events, not 10,000:
 *
 *   retry: 2000
 *
 *   event: run                           what the run is (GET /api/runs says the same)
 *   data: {"id":"r1a2b3c4","kind":"page","status":"running",...}
 *
 *   event: dropped                       only when records asked for are no longer held
 *   data: {"after":-1,"before":5001,"count":4990}
 *
 *   event: records                       one or more records, one JSON line each
 *   id: 5003                             the last record's seq: where to resume
 *   data: {"seq":5001,"t":10.5,"type":"send",...,"data":"WW91IGFyZSBjb25uZWN0ZWQ="}
 *   data: {"seq":5002,...}
 *   data: {"seq":5003,...}
 *
 *   : keepalive                          a comment when nothing else was sent for a while
 *
 *   event: end                           the run ended; the stream closes after it
 *   data: {"end":{"reason":"stopped","at":1700000000000},"last":6000}
 *
 * Each `records` event's `id:` is its last record's seq, so a browser that
 * reconnects sends it back as `Last-Event-ID` and the stream goes on from
 * the next record: nothing lost, nothing repeated. A page that reloads
 * passes `?after=SEQ` (the last seq it had). A stream is only a cursor into
 * the run's window: a reader too slow for the window is told what it
 * missed (`dropped`) instead of making the app hold more.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-errors.ts';
import type { LiveRun } from './live-run.ts';

export interface StreamOptions {
  /** Gather records this long before sending them (ms). */
  batchMs: number;
  /** Send at once when this many records are waiting. */
  batchRecords: number;
  /** Records in one event at most. */
  maxEventRecords: number;
  /** A comment after this long without anything sent (ms), so proxies and idle timers keep the stream. */
  heartbeatMs: number;
  /** What the browser waits before reconnecting (ms), sent as `retry:`. */
  retryMs: number;
}

export const DEFAULT_STREAM: StreamOptions = {
  batchMs: 25,
  batchRecords: 2000,
  maxEventRecords: 5000,
  heartbeatMs: 15_000,
  retryMs: 2000,
};

const SEQ = /^(-1|\d{1,15})$/;

/**
 * Where a stream starts: after the seq in `Last-Event-ID` (a reconnect; it
 * wins, as the browser keeps the first URL), else `?after=`, else from the
 * start (-1: the header too).
 */
export function resumePoint(lastEventId: string | undefined, after: unknown): { after: number; reconnect: boolean } {
  if (lastEventId !== undefined && lastEventId.trim() !== '') {
    if (!SEQ.test(lastEventId.trim())) {
      throw new ApiError(400, 'bad_request', `Last-Event-ID must be the seq of a record, a whole number (got ${JSON.stringify(lastEventId)})`);
    }
    return { after: Number(lastEventId.trim()), reconnect: true };
  }
  if (after === undefined) return { after: -1, reconnect: false };
  if (typeof after !== 'string' || !SEQ.test(after)) {
    throw new ApiError(400, 'bad_request', `after must be the seq of the last record the page has, a whole number or -1 (got ${JSON.stringify(after)})`);
  }
  return { after: Number(after), reconnect: false };
}

/** One SSE event: `event:`, `id:` and one `data:` line per line of data. */
function sseEvent(event: string, lines: readonly string[], id?: number): string {
  return `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${lines.join('\ndata: ')}\n\n`;
}

/** Stream a run from `after` until it ends or the page goes away. */
export function streamRun(
  run: LiveRun,
  req: IncomingMessage,
  res: ServerResponse,
  { after, reconnect }: { after: number; reconnect: boolean },
  options: StreamOptions = DEFAULT_STREAM,
): void {
  // A browser reconnecting to a run it has seen to the end: HTTP 204 tells
  // EventSource to stop reconnecting (HTML standard, "Server-sent events").
  if (reconnect && run.status === 'ended' && after >= run.window.lastSeq) {
    res.writeHead(204).end();
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    // nginx and others buffer responses unless told not to.
    'X-Accel-Buffering': 'no',
  });
  req.socket.setNoDelay(true);

  let cursor = after;
  let blocked = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let wroteSinceBeat = true;
  let done = false;

  const write = (chunk: string): boolean => {
    wroteSinceBeat = true;
    return res.write(chunk);
  };

  const release = run.watch();
  const cleanup = () => {
    if (done) return;
    done = true;
    release();
    unsubscribe();
    clearInterval(beat);
    if (timer !== null) clearTimeout(timer);
  };

  /** Send everything past the cursor, event by event, until the socket's buffer is full or nothing is left. */
  const pump = () => {
    timer = null;
    if (blocked || done) return;
    for (;;) {
      const { dropped, entries } = run.window.read(cursor, options.maxEventRecords);
      let chunk = '';
      if (dropped !== null) chunk += sseEvent('dropped', [JSON.stringify(dropped)]);
      if (entries.length > 0) {
        cursor = entries[entries.length - 1]!.seq;
        chunk += sseEvent(
          'records',
          entries.map((e) => e.line),
          cursor,
        );
      }
      if (chunk === '') break;
      if (!write(chunk)) {
        blocked = true;
        res.once('drain', () => {
          blocked = false;
          pump();
        });
        return;
      }
    }
    if (run.status === 'ended') {
      write(sseEvent('end', [JSON.stringify({ end: run.end, last: run.window.lastSeq })]));
      cleanup();
      res.end();
    }
  };

  const unsubscribe = run.onChange(() => {
    if (blocked || done) return;
    if (run.status === 'ended' || run.window.lastSeq - cursor >= options.batchRecords) {
      if (timer !== null) clearTimeout(timer);
      pump();
    } else if (timer === null) {
      timer = setTimeout(pump, options.batchMs);
    }
  });
  const beat = setInterval(() => {
    if (!wroteSinceBeat && !blocked) res.write(': keepalive\n\n');
    wroteSinceBeat = false;
  }, options.heartbeatMs);
  res.on('close', cleanup);

  write(`retry: ${options.retryMs}\n\n`);
  write(sseEvent('run', [JSON.stringify(run.summary())]));
  pump();
}
