/**
 * The FTP server's listener: it accepts control connections and spawns one
 * session actor per connection (session.ts), and stops each one as soon as
 * it ends, so a server that runs for days keeps only the sessions it has.
 *
 *   binding ──listen (label 'control')──▶ accepting ──accept──▶ accepting  (spawn sessionN)
 *                                             │ stopAfter clients: closingListener ──▶ draining ──▶ done
 *   whenever a session ends: stopChild, count it out
 *
 * Limits (vsftpd's max_clients and max_per_ip): a connection over the total
 * or over its address's share still gets a session, told to answer "421"
 * at once and close (RFC 959 section 4.2.1: "421 Service not available,
 * closing control connection"), so the client hears why.
 *
 * Pure: no `node:` import.
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import { outputOf, socketActors, toSocketError, type AcceptOutput, type SocketError } from '../../socket-calls.ts';
import { DEFAULT_POLICY, LISTEN_BACKLOG, MAX_CLIENTS, MAX_PER_ADDRESS, type ServerPolicy } from './config.ts';
import { reply } from './replies.ts';
import { ftpSessionMachine } from './session.ts';
import { plainHost } from './session-state.ts';

export interface FtpServerInput {
  host?: string;
  port?: number;
  policy?: ServerPolicy;
  maxClients?: number;
  maxPerAddress?: number;
  /** Stop accepting after this many connections and end once their sessions have (a simulated run must end). */
  stopAfter?: number;
  /** Milliseconds since 1970 for listings; a simulated run passes a fixed clock. */
  now?: () => number;
}

interface Context {
  host: string;
  port: number;
  policy: ServerPolicy;
  maxClients: number;
  maxPerAddress: number;
  stopAfter: number | null;
  now: (() => number) | undefined;
  listener: string | null;
  accepted: number;
  /**
   * Running sessions, in all and by client address. Counts, not a record of
   * each session: a context copied on every accept and every end would cost
   * O(sessions) each time (and V8 a new object shape per session id).
   */
  running: number;
  perAddress: Record<string, number>;
  refused: number;
  error: SocketError | null;
}

/**
 * A session child's XState id is its number ('12'); its name in the system,
 * and so its lane in the trace, is 'session12' (its `systemId`). Why not the
 * id 'session12': XState copies a parent's `children` object on every spawn
 * and stop, three times per accepted connection here (the accept call stops,
 * a session starts, the next accept starts). With a thousand sessions under
 * names, V8 gave every copy a new object shape and kept them all: 12 MB and
 * a second of CPU per thousand clients (test/bench/ftp-server.ts, heap and CPU
 * profiles). Numbers are stored as array elements, with no shapes at all.
 */
const SESSION = 'session';
const SESSION_ID = /^\d+$/;

function childOf(event: { type: string }): string {
  return event.type.replace(/^xstate\.(done|error)\.actor\./, '');
}

/** The client address a running session serves (read from the child itself, as it ends). */
function hostOfChild(self: { getSnapshot(): { children: Record<string, { getSnapshot(): unknown } | undefined> } }, id: string): string | undefined {
  const child = self.getSnapshot().children[id]?.getSnapshot() as { context?: { control?: { remote?: { host?: string } } } } | undefined;
  const host = child?.context?.control?.remote?.host;
  return host === undefined ? undefined : plainHost(host);
}

export const ftpServerMachine = setup({
  types: {
    context: {} as Context,
    input: {} as FtpServerInput,
    emitted: {} as { type: 'print'; text: string },
  },
  actors: {
    listen: socketActors.listen,
    accept: socketActors.accept,
    closeListener: socketActors.closeListener,
    session: ftpSessionMachine,
  },
  actions: {
    recordError: assign({ error: ({ event }) => toSocketError((event as { error?: unknown }).error) }),
    startSession: enqueueActions(({ context, event, enqueue }) => {
      const accepted = outputOf<AcceptOutput>(event);
      const host = plainHost(accepted.remote.host);
      const id = String(context.accepted + 1);
      const fromHost = context.perAddress[host] ?? 0;
      let refuse: string | undefined;
      if (context.running >= context.maxClients) {
        refuse = reply(421, `Too many users: ${context.maxClients} are connected. Try again later.`);
      } else if (fromHost >= context.maxPerAddress) {
        refuse = reply(421, `Too many connections from your address (${context.maxPerAddress} at most). Close some and try again.`);
      }
      if (refuse !== undefined) enqueue.emit({ type: 'print', text: `refused ${host}: ${refuse.slice(4).trim()}` });
      enqueue.spawnChild('session', {
        id,
        systemId: `${SESSION}${id}`,
        input: {
          conn: accepted.conn,
          local: accepted.local,
          remote: accepted.remote,
          policy: context.policy,
          ...(refuse !== undefined ? { refuse } : {}),
          ...(context.now !== undefined ? { now: context.now } : {}),
        },
      });
      enqueue.assign({
        accepted: context.accepted + 1,
        running: context.running + 1,
        perAddress: { ...context.perAddress, [host]: fromHost + 1 },
        refused: context.refused + (refuse === undefined ? 0 : 1),
      });
    }),
    /** A session ended: stop its actor, so finished ones do not pile up, and count it out. */
    endSession: enqueueActions(({ context, event, self, enqueue }) => {
      const id = childOf(event);
      const host = hostOfChild(self as never, id);
      enqueue.stopChild(id);
      const perAddress = { ...context.perAddress };
      if (host !== undefined && perAddress[host] !== undefined) {
        // An address with no session left is forgotten: a server that runs for days keeps no count per past client.
        if (perAddress[host] > 1) perAddress[host] -= 1;
        else delete perAddress[host];
      }
      enqueue.assign({ running: context.running - 1, perAddress });
    }),
  },
  guards: {
    isSession: ({ event }) => SESSION_ID.test(childOf(event)),
    enough: ({ context }) => context.stopAfter !== null && context.accepted >= context.stopAfter,
    noSession: ({ context }) => context.running === 0,
  },
}).createMachine({
  id: 'ftpServer',
  context: ({ input }) => ({
    host: input.host ?? '127.0.0.1',
    port: input.port ?? 2121,
    policy: input.policy ?? DEFAULT_POLICY,
    maxClients: input.maxClients ?? MAX_CLIENTS,
    maxPerAddress: input.maxPerAddress ?? MAX_PER_ADDRESS,
    stopAfter: input.stopAfter ?? null,
    now: input.now,
    listener: null,
    accepted: 0,
    running: 0,
    perAddress: {},
    refused: 0,
    error: null,
  }),
  on: {
    'xstate.done.actor.*': { guard: 'isSession', actions: 'endSession' },
    'xstate.error.actor.*': { guard: 'isSession', actions: 'endSession' },
  },
  initial: 'binding',
  states: {
    binding: {
      invoke: {
        id: 'listen',
        src: 'listen',
        input: ({ context }) => ({ host: context.host, port: context.port, backlog: LISTEN_BACKLOG, label: 'control' }),
        onDone: {
          target: 'accepting',
          actions: [
            assign({ listener: ({ event }) => event.output.listener, port: ({ event }) => event.output.address.port }),
            emit(({ event }) => ({ type: 'print' as const, text: `FTP server listening on ${event.output.address.host} port ${event.output.address.port}` })),
          ],
        },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    accepting: {
      always: { guard: 'enough', target: 'closingListener' },
      invoke: {
        id: 'accept',
        src: 'accept',
        input: ({ context }) => ({ listener: context.listener! }),
        onDone: { target: 'accepting', reenter: true, actions: 'startSession' },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    closingListener: {
      invoke: {
        id: 'closeListener',
        src: 'closeListener',
        input: ({ context }) => ({ listener: context.listener! }),
        onDone: { target: 'draining', actions: assign({ listener: null }) },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    draining: { always: { guard: 'noSession', target: 'done' } },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) => ({ accepted: context.accepted, refused: context.refused, error: context.error }),
});
