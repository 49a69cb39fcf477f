/**
 * One live run's records, from the app's server-sent events
 * (runtime/server/sse-stream.ts) through the browser's EventSource:
 *
 *   event: run       what the run is (at every (re)connection)
 *   event: records   JSON lines, one record per `data:` line; `id:` = the last seq
 *   event: dropped   records the app no longer held when they were asked for
 *   event: end       the run ended; the stream closes
 *
 * A dropped connection is EventSource's to mend: it reconnects after the
 * `retry:` the app sent, with `Last-Event-ID` = the last records event's
 * id, and the app goes on after that seq, so nothing is lost or repeated.
 * Every line goes through the trace's own reader (the header first, seq
 * only growing): a stream that broke that would be a bug, and is said so.
 */
import type { RunSummary } from '../../runtime/server/live-run.ts';
import { TraceFileError, TraceLineReader } from '../../runtime/trace/json.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';

/** What the app said it no longer held: records with `after < seq < before`, `count` of them. */
export interface Dropped {
  after: number;
  before: number;
  count: number;
}

export type StreamState =
  /** Opening, or open and receiving. */
  | { kind: 'connecting' }
  | { kind: 'open' }
  /** The connection dropped; EventSource tries again by itself. */
  | { kind: 'retrying' }
  /** The run ended and its stream closed. */
  | { kind: 'ended' }
  /** No more will come: the run is gone, or its records could not be read. */
  | { kind: 'failed'; message: string };

export interface LiveStreamHandlers {
  run(summary: RunSummary): void;
  records(records: TraceRecord[]): void;
  dropped(dropped: Dropped): void;
  end(summary: { end: RunSummary['end']; last: number }): void;
  state(state: StreamState): void;
}

export interface LiveStream {
  /** The seq of the last record received (-1 before any). */
  readonly last: number;
  close(): void;
  /** Close the connection and open a new one from the last record received (as EventSource does after a drop). */
  reconnect(): void;
}

/**
 * Follow a run from its first record the app holds. `explain` is asked
 * why a stream failed for good (EventSource does not say): the page asks
 * the app about the run.
 */
export function openLiveStream(url: string, handlers: LiveStreamHandlers, explain: () => Promise<string>): LiveStream {
  const reader = new TraceLineReader();
  let last = -1;
  let source: EventSource | null = null;
  let closed = false;

  const fail = (message: string) => {
    if (closed) return;
    closed = true;
    source?.close();
    handlers.state({ kind: 'failed', message });
  };

  const connect = (after: number) => {
    const target = new URL(url);
    target.searchParams.set('after', String(after));
    const es = new EventSource(target.href);
    source = es;
    handlers.state({ kind: 'connecting' });
    es.addEventListener('open', () => handlers.state({ kind: 'open' }));
    es.addEventListener('run', (e) => {
      try {
        handlers.run(JSON.parse((e as MessageEvent<string>).data) as RunSummary);
      } catch {
        // A summary that does not parse changes nothing the page needs.
      }
    });
    es.addEventListener('records', (e) => {
      const data = (e as MessageEvent<string>).data;
      const out: TraceRecord[] = [];
      try {
        for (const line of data.split('\n')) {
          const record = reader.read(line);
          if (record !== null) out.push(record);
        }
      } catch (error) {
        const why = error instanceof TraceFileError ? error.message : String(error);
        if (out.length > 0) handlers.records(out);
        fail(`The run's records could not be read (${why}). This is a bug in Sockstep: please report it.`);
        return;
      }
      if (out.length > 0) {
        last = out[out.length - 1]!.seq;
        handlers.records(out);
      }
    });
    es.addEventListener('dropped', (e) => {
      try {
        handlers.dropped(JSON.parse((e as MessageEvent<string>).data) as Dropped);
      } catch {
        // Nothing to say about a drop that does not parse.
      }
    });
    es.addEventListener('end', (e) => {
      closed = true;
      es.close();
      try {
        handlers.end(JSON.parse((e as MessageEvent<string>).data) as { end: RunSummary['end']; last: number });
      } catch {
        handlers.end({ end: null, last });
      }
      handlers.state({ kind: 'ended' });
    });
    es.addEventListener('error', () => {
      if (closed || es !== source) return;
      if (es.readyState === EventSource.CONNECTING) {
        handlers.state({ kind: 'retrying' });
        return;
      }
      // CLOSED: an answer that was not a stream (the run is gone, the app restarted). Ask why.
      void explain().then(fail, () => fail('The connection to the app was lost, and the app does not answer.'));
    });
  };

  connect(-1);
  return {
    get last() {
      return last;
    },
    close() {
      closed = true;
      source?.close();
    },
    reconnect() {
      if (closed) return;
      source?.close();
      connect(last);
    },
  };
}
