/**
 * Run one of a lesson's scenarios: start its servers, wait until each
 * listens, start its clients (each at its `startAfterMs`), wait until every
 * client has finished (and the servers, a moment, to end by themselves),
 * then stop what is still running. The same function
 * runs on the simulated network (the page, tests) and on real sockets
 * (tests), so a lesson's conversation is written once, as data.
 *
 * Browser-safe.
 */
import { MemoryFolder } from '../runtime/files/memory-folder.ts';
import type { Folder } from '../runtime/files/types.ts';
import type { RunningActor } from '../runtime/run/run-system.ts';
import { RunSystem } from '../runtime/run/run-system.ts';
import type { ListenRecord, TraceRecord } from '../runtime/trace/records.ts';
import { Trace } from '../runtime/trace/trace.ts';
import { createSimNetwork, type SimOptions } from '../runtime/transport/sim/index.ts';
import type { Transport } from '../runtime/transport/types.ts';
import type { ConnFaults } from '../runtime/run/conn-faults.ts';
import { knobIds, networkOf, serverFaultsOf, type KnobId, type KnobValues } from './knobs.ts';
import { rolesOf, type LessonDefinition, type Program, type ProgramEnv, type Scenario } from './lesson-types.ts';

/** Real sockets: how long servers may take to end by themselves once every client is done. */
export const SERVER_GRACE_MS = 1000;

export interface ScenarioEnv {
  transport: Transport;
  trace: Trace;
  /** Where servers listen and clients connect. */
  host: string;
  /** The port servers listen on; 0 picks a free one (real sockets). */
  port: number;
  /**
   * Drives a simulated network until nothing is left to do. Absent for real
   * sockets, whose events arrive by themselves.
   */
  settle?: () => Promise<void>;
  /** Real sockets only: give up on a program after this long. Default 20 s. */
  timeoutMs?: number;
  /** The folder file calls work in. Default: a virtual folder made from the scenario's `files`. */
  files?: Folder;
  /** A program's own folder, by actor (a real one, say), instead of a virtual one made from its `files`. */
  folders?: Readonly<Record<string, Folder>>;
  /** Faults on every connection of the scenario's servers (a knob's stall, say: lessons/knobs.ts). */
  serverFaults?: ConnFaults;
}

export interface ScenarioResult {
  /** Each program's output, by actor. */
  outputs: Record<string, unknown>;
  /** The folder each program worked in, by actor (its own, or the run's; absent when it had none), to look at afterwards. */
  folders: Record<string, Folder>;
}

/** Find a scenario by id; the first one when `id` is undefined. */
export function scenarioOf(lesson: LessonDefinition, id?: string): Scenario {
  const scenario = id === undefined ? lesson.scenarios[0] : lesson.scenarios.find((s) => s.id === id);
  if (scenario === undefined) {
    const known = lesson.scenarios.map((s) => s.id).join(', ');
    throw new Error(`lesson ${lesson.id} has no scenario "${id}" (it has: ${known})`);
  }
  return scenario;
}

export async function runScenario(lesson: LessonDefinition, scenario: Scenario, env: ScenarioEnv): Promise<ScenarioResult> {
  const files = env.files ?? (scenario.files === undefined ? undefined : new MemoryFolder(scenario.files));
  const run = new RunSystem({ transport: env.transport, trace: env.trace, roles: rolesOf(lesson), ...(files === undefined ? {} : { files }) });
  const timeoutMs = env.timeoutMs ?? 20_000;
  const started: { program: Program; running: RunningActor }[] = [];
  const folders: Record<string, Folder> = {};
  const start = (program: Program, programEnv: ProgramEnv) => {
    const own = env.folders?.[program.actor] ?? (program.files === undefined ? undefined : new MemoryFolder(program.files));
    const folder = own ?? files;
    if (folder !== undefined) folders[program.actor] = folder;
    const faults = env.serverFaults !== undefined && scenario.servers.includes(program) ? { faults: env.serverFaults } : {};
    const options = { id: program.actor, input: program.input(programEnv), ...(own === undefined ? {} : { folder: own }), ...faults };
    started.push({ program, running: run.start(program.machine, options) });
  };

  try {
    // Servers first, one at a time, as when you start server.py before client.py.
    let meeting: ProgramEnv = { host: env.host, port: env.port };
    for (const [i, server] of scenario.servers.entries()) {
      const listening = listenRecordOf(env.trace, server.actor);
      start(server, meeting);
      const heard = await drive(env, listening.promise, () => listening.found, timeoutMs);
      listening.stop();
      if (!heard) throw new Error(`${server.actor} did not start listening`);
      const record = await listening.promise;
      if (record === null) {
        const output = await started.at(-1)!.running.done;
        throw new Error(`${server.actor} could not listen: ${JSON.stringify(output)}`);
      }
      if (i === 0) meeting = { host: env.host, port: record.address.port };
    }

    // Then the clients, each at its own time on the transport's clock.
    const clientsDone = scenario.clients.map(
      (client) =>
        new Promise<unknown>((resolve) => {
          const go = () => {
            start(client, meeting);
            void started.at(-1)!.running.done.then(resolve);
          };
          const delay = client.startAfterMs ?? 0;
          if (delay === 0) go();
          else env.transport.clock.setTimeout(go, delay);
        }),
    );
    let allDone = false;
    const all = Promise.all(clientsDone).then(() => (allDone = true));
    if (!(await drive(env, all, () => allDone, timeoutMs))) {
      const stuck = started.filter((s) => s.running.actor.getSnapshot().status === 'active').map((s) => s.program.actor);
      throw new Error(`the run stopped with programs still waiting: ${stuck.join(', ')}`);
    }
    // A server told to serve so many clients ends by itself once they are gone: give it a moment
    // on real sockets (the simulated network has already run to the end), then stop it.
    let serversDone = false;
    const servers = Promise.all(started.filter((s) => scenario.servers.includes(s.program)).map((s) => s.running.done)).then(() => (serversDone = true));
    await drive(env, servers, () => serversDone, Math.min(timeoutMs, SERVER_GRACE_MS));
  } finally {
    await run.stop();
  }
  const outputs: Record<string, unknown> = {};
  for (const { program, running } of started) outputs[program.actor] = await running.done;
  return { outputs, folders };
}

/**
 * A scenario on a fresh simulated network, as the page runs it: the whole
 * trace. The network is the scenario's (`network`), with `options` over it.
 */
export async function runScenarioSim(
  lesson: LessonDefinition,
  scenarioId?: string,
  options: SimOptions = {},
  knobs: KnobValues = {},
): Promise<TraceRecord[]> {
  return (await simulateScenario(lesson, scenarioId, options, knobs)).records;
}

/**
 * runScenarioSim, with the run's result too: each program's output and
 * folder. `knobs` are the page's knob values (lessons/knobs.ts), over the
 * scenario's network; `options` over both.
 */
export async function simulateScenario(
  lesson: LessonDefinition,
  scenarioId?: string,
  options: SimOptions = {},
  knobs: KnobValues = {},
): Promise<{ records: TraceRecord[]; result: ScenarioResult }> {
  const scenario = scenarioOf(lesson, scenarioId);
  const seed = options.seed ?? 1;
  // A knob the scenario does not offer does not touch it.
  const offered = Object.fromEntries(Object.entries(knobs).filter(([id]) => knobIds(scenario.knobs).includes(id as KnobId))) as KnobValues;
  const net = createSimNetwork({ ...scenario.network, ...networkOf(offered), ...options, seed });
  const serverFaults = serverFaultsOf(offered, scenario.knobs);
  const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0, lesson: lesson.id, scenario: scenario.id, seed });
  const result = await runScenario(lesson, scenario, {
    transport: net.transport(),
    trace,
    host: '127.0.0.1',
    port: 12345,
    settle: () => net.run(),
    ...(serverFaults === undefined ? {} : { serverFaults }),
  });
  return { records: trace.records, result };
}

/** The `listen` record of an actor, as soon as the trace has it (or null if the actor ended first). */
function listenRecordOf(trace: Trace, actor: string) {
  let found: ListenRecord | null | undefined;
  let resolve!: (r: ListenRecord | null) => void;
  const promise = new Promise<ListenRecord | null>((r) => (resolve = r));
  const stop = trace.subscribe((r) => {
    if (r.type === 'listen' && r.actor === actor) {
      found = r;
      resolve(r);
    } else if (r.type === 'status' && r.actor === actor) {
      found = null;
      resolve(null);
    }
  });
  return {
    promise,
    get found() {
      return found !== undefined;
    },
    stop,
  };
}

/**
 * Let `promise` happen: on the simulated network by running the network
 * until nothing is left to do, then `happened()` says whether it did; on
 * real sockets by waiting for it, at most `timeoutMs`. True if it happened.
 */
async function drive(env: ScenarioEnv, promise: Promise<unknown>, happened: () => boolean, timeoutMs: number): Promise<boolean> {
  if (env.settle !== undefined) {
    await env.settle();
    return happened();
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    await Promise.race([promise, timeout]);
    return happened();
  } finally {
    clearTimeout(timer);
  }
}
