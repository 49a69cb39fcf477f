/**
 * What each program printed: the program started by the run (a server, a
 * client) and every actor it started, as in Python, where a server's
 * threads print to the server's own terminal. Kept as records arrive: a
 * print is filed under its program when it comes (its actor's parents are
 * known by then: an actor's `actor` record comes before anything it does).
 */
import type { Role, TraceRecord } from '../../runtime/trace/records.ts';
import { IntList } from './int-list.ts';
import type { ActorInfo, StepModel } from './steps.ts';

/** One program's prints, its children's merged in: record indices, in order. */
export interface ProgramPrints {
  program: ActorInfo;
  prints: Int32Array;
}

/** How far up a chain of parents to look (a loop in a broken trace must not hang the page). */
const MAX_DEPTH = 32;

export function programOf(model: StepModel, info: ActorInfo): ActorInfo {
  let at = info;
  for (let depth = 0; at.parent !== null && depth < MAX_DEPTH; depth++) {
    const parent = model.byActor.get(at.parent);
    if (parent === undefined) break;
    at = parent;
  }
  return at;
}

export class PrintIndex {
  private readonly byProgram = new Map<ActorInfo, IntList>();
  /** The programs in order of their start, each put in place as it first prints (nearly always at the end). */
  private readonly started: ActorInfo[] = [];
  /** The order shown: servers before clients; made again only when a program is added or the roles change. */
  private order: ActorInfo[] = [];
  private orderFor: { count: number; roles: ReadonlyMap<string, Role> | null } = { count: -1, roles: null };
  /** Each program's entry as last handed out, and the programs that printed since: a live run has thousands of programs, and a frame's new records reach a few. */
  private readonly entries = new Map<ActorInfo, ProgramPrints>();
  private readonly printedSince = new Set<ActorInfo>();
  private shown: ProgramPrints[] = [];

  /** File record `index` of the model under its program, if it is a print. */
  add(model: StepModel, index: number, r: TraceRecord): void {
    if (r.type !== 'print') return;
    const info = model.byActor.get(r.actor);
    if (info === undefined) return;
    const program = programOf(model, info);
    let list = this.byProgram.get(program);
    if (list === undefined) {
      this.byProgram.set(program, (list = new IntList()));
      let at = this.started.length;
      while (at > 0 && this.started[at - 1]!.first > program.first) at--;
      this.started.splice(at, 0, program);
    }
    list.push(index);
    this.printedSince.add(program);
  }

  /**
   * Every program that printed, servers before clients, then in order of
   * their start: sorted only when they change, and the same list (the same
   * entries) as last time when nothing was printed since. O(programs) when
   * anything was, but only the programs that printed get a new entry.
   */
  programs(roles: ReadonlyMap<string, Role>): ProgramPrints[] {
    const reordered = this.orderFor.count !== this.started.length || this.orderFor.roles !== roles;
    if (reordered) {
      // Already in order of start: servers, then clients, is a partition, O(programs).
      const isClient = (info: ActorInfo) => roles.get(info.actor) === 'client';
      this.order = [...this.started.filter((p) => !isClient(p)), ...this.started.filter(isClient)];
      this.orderFor = { count: this.started.length, roles };
    }
    if (!reordered && this.printedSince.size === 0) return this.shown;
    for (const program of this.printedSince) this.entries.set(program, { program, prints: this.byProgram.get(program)!.view() });
    this.printedSince.clear();
    this.shown = this.order.map((program) => this.entries.get(program)!);
    return this.shown;
  }
}

/** Each program's prints for a whole trace. */
export function programsWithOutput(model: StepModel, roles: ReadonlyMap<string, Role>): ProgramPrints[] {
  const index = new PrintIndex();
  for (let i = 0; i < model.records.length; i++) index.add(model, i, model.records[i]!);
  return index.programs(roles);
}
