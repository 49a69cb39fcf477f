/**
 * A run: programs (machine actors) on one transport, recorded in one trace.
 *
 *   const run = new RunSystem({ transport, trace, roles });
 *   const server = run.start(server2Machine, { id: 'server2', input });
 *   const client = run.start(client2Machine, { id: 'client2', input });
 *   ...
 *   await run.stop();   // stops every actor, closes every socket the run opened
 *
 * Everything that belongs to the run is made once and shared by all its
 * actors, the children they invoke or spawn included:
 * - the socket table (handles, and every call recorded on the lane of the
 *   actor that made it, with the state it was made from);
 * - the file table: file calls (machines/file-calls.ts) on the run's folder,
 *   recorded the same way. A program may have a folder of its own
 *   (`start(machine, { folder })`): lesson 5's client saves afile.txt in its
 *   folder while the server reads somefile.txt from another, as two
 *   programs in two directories would; its children share it;
 * - the clock: machine timers (`after`) run on the transport's clock, so on
 *   the simulated network a 2-second timeout costs no wall time;
 * - the inspector, which names each actor once and records its parent.
 *
 * Leaving a state stops the socket call it invoked: XState aborts the
 * call's AbortSignal and the transport cancels the call with no effect
 * (a cancelled recv() loses no bytes).
 *
 * Browser-safe: the transport decides whether the sockets are real.
 */
import { createActor, fromPromise, waitFor, type AnyActorLogic, type AnyActorRef, type AnyStateMachine } from 'xstate';
import { FILE_CALLS, fileActors, type FileCallName, type FileCalls } from '../../machines/file-calls.ts';
import { SOCKET_CALLS, socketActors, type CallSite, type SocketCallName, type SocketCalls } from '../../machines/socket-calls.ts';
import { FileTable } from '../files/file-table.ts';
import type { Folder } from '../files/types.ts';
import { inspector } from '../trace/inspect.ts';
import type { Role } from '../trace/records.ts';
import type { Trace } from '../trace/trace.ts';
import type { Transport } from '../transport/types.ts';
import { bindMachine } from './bind-machine.ts';
import { Lanes, type ActorLike } from './lanes.ts';
import type { ConnFaults } from './conn-faults.ts';
import { SocketTable, type ProgramCalls } from './socket-table.ts';
import { transferActors, type TransferInput, type TransferOutput } from '../../machines/transfer-calls.ts';
import { TransferTable, type FileStreams, type TransferOptions } from './transfer-table.ts';
import { PasswordMask } from '../../machines/ftp/server/password-mask.ts';

/**
 * The trace as the socket table sees it: every record passes through the
 * FTP password mask first (machines/ftp/server/password-mask.ts), so no
 * PASS argument on a connection labelled 'control' is ever recorded, in
 * any run. Ids still come from the trace itself.
 */
function maskingPasswords(trace: Trace): Trace {
  const mask = new PasswordMask();
  const view = Object.create(trace) as Trace;
  view.add = (record) => trace.add(mask.apply(record as never));
  view.connectionId = (end, local, remote) => trace.connectionId(end, local, remote);
  view.listenerId = () => trace.listenerId();
  return view;
}

export interface RunSystemOptions {
  transport: Transport;
  trace: Trace;
  /** The role of each machine (by machine id) in the lesson: colours its lane and bytes. */
  roles?: Readonly<Record<string, Role>>;
  /**
   * The folder the machines' file calls work in: a MemoryFolder on the
   * simulated network, a RealFolder live. Without one, file calls fail with
   * ENOFOLDER.
   */
  files?: Folder;
  /**
   * Transfers (machines/transfer-calls.ts): how their data is recorded, the
   * digest, and where they read and write files (default: the file table's
   * own streams, when it has them).
   */
  transfer?: TransferOptions;
}

/** How a program starts: its name (its lane), its input, and what the run gives it of its own. */
export interface StartOptions {
  id: string;
  input?: unknown;
  /** The folder its file calls (and its children's) work in. Default: the run's `files`. */
  folder?: Folder;
  /**
   * Faults on every connection it (or a child) accepts or opens: `sockstep
   * run server1 --chunk 5 --delay 200` (conn-faults.ts), recorded as
   * `fault` records.
   */
  faults?: ConnFaults;
  /**
   * `--timeout S` of a client: a call that would wait longer without a
   * timeout of its own gives up, and says what it waited for (give-up.ts).
   */
  giveUpMs?: number;
}

/** What the run keeps of each program it started: by the program's root actor. */
interface Program {
  folder?: Folder;
  /** What its socket calls are given (faults, a limit on waits), when it has any. */
  calls?: ProgramCalls;
}

/** The other side of a program, by the program's role, for what it says when it gives up. */
const PEER: Record<Role, string> = { client: 'the server', server: 'the client', session: 'the client' };

export interface RunningActor {
  actor: AnyActorRef;
  /** Resolves with the machine's output once it is no longer active (done, failed or stopped). */
  done: Promise<unknown>;
}

/** The parts of an XState machine snapshot read to find which state invoked a call. */
interface SnapshotLike {
  _nodes?: { id: string; invoke?: { id: string }[] }[];
}

/**
 * The id of the state whose `invoke` started this actor ('server1.sending'),
 * or undefined for a spawned one. XState starts invoked actors after the
 * parent's snapshot is updated, so the parent is in that state now.
 */
function invokingState(actor: ActorLike & { _parent?: AnyActorRef }): string | undefined {
  const snapshot = actor._parent?.getSnapshot() as SnapshotLike | undefined;
  // `_nodes` is XState's own field (v5): the state nodes the snapshot is in.
  for (const node of snapshot?._nodes ?? []) {
    if (node.invoke?.some((inv) => inv.id === actor.id)) return node.id;
  }
  return undefined;
}

export class RunSystem {
  readonly sockets: SocketTable;
  readonly files: FileTable;
  readonly transfers: TransferTable;
  private readonly lanes = new Lanes();
  private readonly replacements: Map<AnyActorLogic, AnyActorLogic>;
  private readonly roots: AnyActorRef[] = [];
  private readonly programs = new Map<AnyActorRef, Program>();
  private readonly inspect;

  constructor(private readonly options: RunSystemOptions) {
    this.sockets = new SocketTable(options.transport, maskingPasswords(options.trace));
    this.inspect = inspector({ trace: options.trace, lanes: this.lanes, roles: options.roles });
    this.files = new FileTable(options.files ?? null, options.trace);
    const streams = (this.files as unknown as { streams?: () => FileStreams }).streams?.call(this.files) ?? null;
    this.transfers = new TransferTable(this.sockets, options.trace, { files: streams, ...options.transfer });
    this.replacements = new Map<AnyActorLogic, AnyActorLogic>([
      ...SOCKET_CALLS.map((name) => [socketActors[name], this.socketActor(name)] as const),
      ...FILE_CALLS.map((name) => [fileActors[name], this.fileActor(name)] as const),
      [
        transferActors.transfer,
        fromPromise<TransferOutput, TransferInput>(({ input, self, signal }) => this.transfers.transfer(input, this.siteOf(self), signal)),
      ],
    ]);
  }

  /** Start a program: a machine actor named `id` (its lane), with its children bound to this run. */
  start(machine: AnyStateMachine, { id, input, folder, faults, giveUpMs }: StartOptions): RunningActor {
    const actor = createActor(bindMachine(machine, this.replacements), {
      id,
      input,
      inspect: this.inspect,
      clock: this.options.transport.clock,
    });
    const done = waitFor(actor, (s) => s.status !== 'active', { timeout: Infinity }).then(
      (s) => s.output as unknown,
      () => actor.getSnapshot().output as unknown,
    );
    this.roots.push(actor);
    const role = this.options.roles?.[machine.id];
    const calls: ProgramCalls | undefined =
      faults === undefined && giveUpMs === undefined
        ? undefined
        : { program: id, ...(faults === undefined ? {} : { faults }), ...(giveUpMs === undefined ? {} : { giveUpMs }), peer: role === undefined ? 'the other program' : PEER[role] };
    this.programs.set(actor, { ...(folder === undefined ? {} : { folder }), ...(calls === undefined ? {} : { calls }) });
    actor.start();
    return { actor, done };
  }

  /**
   * Stop every actor (their pending calls are cancelled), then close every
   * socket the run still holds and every file, throwing away what a
   * 'replace' was still writing.
   */
  async stop(): Promise<void> {
    for (const actor of this.roots.splice(0)) actor.stop();
    await Promise.all([this.sockets.closeAll(), this.files.closeAll()]);
  }

  /** The implementation of one socket call: the table's method, told who calls and from where. */
  private socketActor<N extends SocketCallName>(name: N) {
    const table = this.sockets as unknown as Record<
      SocketCallName,
      (input: unknown, site: CallSite, signal: AbortSignal, program?: ProgramCalls) => Promise<unknown>
    >;
    return fromPromise<SocketCalls[N]['output'], SocketCalls[N]['input']>(({ input, self, signal }) => {
      const program = this.programOf(self)?.calls;
      return table[name].call(this.sockets, input, this.siteOf(self), signal, program) as Promise<SocketCalls[N]['output']>;
    });
  }

  /** The implementation of one file call: the file table's method, told who calls and from where. */
  private fileActor<N extends FileCallName>(name: N) {
    const table = this.files as unknown as Record<
      FileCallName,
      (input: unknown, site: CallSite, signal: AbortSignal, where?: Folder) => Promise<unknown>
    >;
    return fromPromise<FileCalls[N]['output'], FileCalls[N]['input']>(({ input, self, signal }) => {
      const where = this.programOf(self)?.folder;
      return table[name].call(this.files, input, this.siteOf(self), signal, where) as Promise<FileCalls[N]['output']>;
    });
  }

  /** The program a call belongs to: its root actor's, up the chain of parents. */
  private programOf(self: unknown): Program | undefined {
    let ref = self as { _parent?: unknown } | undefined;
    while (ref?._parent !== undefined) ref = ref._parent as { _parent?: unknown };
    return this.programs.get(ref as AnyActorRef);
  }

  /** Where a call is made: the lane of the machine that invoked it, and the state it invoked it from. */
  private siteOf(self: unknown): CallSite {
    const ref = self as ActorLike;
    const at = invokingState(ref as never);
    return { actor: this.lanes.laneOf(ref), ...(at === undefined ? {} : { at }) };
  }
}
