/**
 * connect(): TCP's three-way handshake on the virtual clock.
 *
 *   client                                server
 *     |---- SYN ---------------------------->|  nobody listens: RST back, ECONNREFUSED
 *     |                                      |  backlog full: SYN dropped, retried later
 *     |<--------------------------- SYN-ACK -|
 *     |---- ACK ---------------------------->|  joins the listener's accept queue
 *   connect() resolves                    accept() can take it
 *
 * So connect() takes one round trip, and the server end is ready half a
 * round trip later. A dropped SYN is sent again 1, 2, 3, 4, 5, 7, 11, 19, 35
 * and 67 s after the first (this kernel's schedule, SYN_RETRY_AT_MS in
 * ../linux.ts), and connect() gives up with ETIMEDOUT at 131 s, or sooner
 * at its own timeout; that is why a connect to a swamped server can hang
 * for a second or more and then succeed. A cancelled connect() stops
 * retrying and frees its port; a SYN-ACK that comes later is answered with
 * RST, which frees the listener's place.
 *
 * Browser-safe: no `node:` import.
 */
import { endpointText } from '../endpoint.ts';
import { TransportError } from '../errors.ts';
import { DEFAULT_CONNECT_TIMEOUT_MS, SYN_RETRY_AT_MS } from '../linux.ts';
import type { Connection, Endpoint } from '../types.ts';
import { SimConnection } from './connection.ts';
import type { SimContext } from './context.ts';
import type { SimListener } from './listener.ts';
import type { Timer } from './scheduler.ts';
import { Waiter } from './waiter.ts';

/** Linux's TCP_TIMEOUT_INIT: wait this long for a SYN-ACK before sending the SYN again. */
export const SYN_RETRY_FIRST_MS = SYN_RETRY_AT_MS[0]!;

/** Who answers a SYN sent to an address: a listener, an RST ('refused'), or nobody at all ('silent'). */
export type SynAnswer = SimListener | 'refused' | 'silent';

export interface HandshakeRequest {
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  /** Looked up when the SYN arrives, not when it leaves: a server may start listening meanwhile. */
  readonly answer: (remote: Endpoint) => SynAnswer;
  /** Frees the client's port when the attempt fails or its connection closes. */
  readonly releasePort: () => void;
}

export function handshake(ctx: SimContext, request: HandshakeRequest): Promise<Connection> {
  const { scheduler } = ctx;
  const { local, remote } = request;
  const waiter = new Waiter<Connection>(scheduler);
  let finished = false;
  let retry: Timer | null = null;
  let retries = 0;
  const started = scheduler.now();

  const fail = (error: TransportError): TransportError => {
    finished = true;
    retry?.cancel();
    request.releasePort();
    return error;
  };

  const sendSyn = (): void => {
    scheduler.at(scheduler.now() + ctx.travelTime(), synArrives);
    const next = SYN_RETRY_AT_MS[retries++];
    retry = next === undefined ? null : scheduler.timer(started + next, sendSyn);
  };

  const synArrives = (): void => {
    if (finished) return; // the client gave up meanwhile
    const answer = request.answer(remote);
    if (answer === 'silent') return;
    if (answer === 'refused') {
      scheduler.at(scheduler.now() + ctx.travelTime(), () => {
        if (finished) return;
        waiter.reject(fail(new TransportError('ECONNREFUSED', `nothing listens on ${endpointText(remote)}`)));
      });
      return;
    }
    if (!answer.reserve()) return; // backlog full: dropped, as Linux drops it
    scheduler.at(scheduler.now() + ctx.travelTime(), () => synAckArrives(answer));
  };

  const synAckArrives = (listener: SimListener): void => {
    if (finished) {
      // Timed out, or an earlier SYN-ACK already connected: the client answers RST.
      scheduler.at(scheduler.now() + ctx.travelTime(), () => listener.release());
      return;
    }
    finished = true;
    retry?.cancel();
    const client = new SimConnection(ctx, local, remote);
    const server = new SimConnection(ctx, remote, local);
    SimConnection.linkEnds(client, server);
    client.onClosed = request.releasePort;
    server.onHandshakeAck = () => listener.join(server);
    client.sendHandshakeAck();
    waiter.resolve(client);
  };

  // Past the last retry's timeout Linux gives up whatever the caller asked for.
  const limitMs = Math.min(request.timeoutMs, DEFAULT_CONNECT_TIMEOUT_MS);
  waiter.expireAfter(limitMs, () =>
    fail(new TransportError('ETIMEDOUT', `connect(): no answer from ${endpointText(remote)} within ${limitMs} ms`)),
  );
  // Cancelled: stop retrying and free the port; a late SYN-ACK finds `finished` and is answered with RST.
  waiter.cancelOn(request.signal, 'connect', () => {
    finished = true;
    retry?.cancel();
    request.releasePort();
  });
  sendSyn();
  return waiter.promise;
}
