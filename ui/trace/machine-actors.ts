/**
 * Several actors may run one machine: three sessions of one server, three
 * clients. Each machine has one statechart; this decides which of its
 * actors the chart follows at a step, and which others it shows beside it.
 */
import { actorOf, isAlive, latestRecordOf, recordAt, type ActorInfo, type StepModel } from './steps.ts';

/** Each machine's actors, in order of appearance. */
export function actorsByMachine(model: StepModel): Map<string, ActorInfo[]> {
  const out = new Map<string, ActorInfo[]>();
  for (const info of model.actors) {
    if (info.machine === null) continue;
    const list = out.get(info.machine) ?? [];
    list.push(info);
    out.set(info.machine, list);
  }
  return out;
}

/** How many of `actors` (in order of their first step) have started by a step: a binary search, for a machine with thousands of actors. */
function startedBy(actors: readonly ActorInfo[], step: number): number {
  let lo = 0;
  let hi = actors.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (actors[mid]!.first <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether `info` is one of `actors`: at once when they are its machine's list in the model, as the page's are. */
function isAmong(model: StepModel, actors: readonly ActorInfo[], info: ActorInfo): boolean {
  if (info.machine === null || info.machine !== actors[0]?.machine) return false;
  return model.byMachine.get(info.machine) === actors || actors.includes(info);
}

/** How many of a machine's actors to look back over for the most recently active one. */
const LOOK_BACK = 64;

/**
 * The actor a machine's chart follows: the one the learner picked; else
 * the current step's actor, if it runs this machine; else the one of its
 * actors that did something most recently; else its first actor.
 */
export function followedActor(model: StepModel, actors: readonly ActorInfo[], step: number, picked: string | null): ActorInfo | null {
  if (actors.length === 0) return null;
  if (picked !== null) {
    const found = model.byActor.get(picked);
    if (found !== undefined && isAmong(model, actors, found)) return found;
  }
  if (model.count === 0) return actors[0]!;
  const direct = model.byActor.get(actorOf(recordAt(model, step)));
  if (direct !== undefined && isAmong(model, actors, direct)) return direct;
  const started = startedBy(actors, step);
  let best: ActorInfo | null = null;
  let bestIndex = -1;
  for (let i = started - 1; i >= 0 && i >= started - LOOK_BACK; i--) {
    const latest = latestRecordOf(model, actors[i]!, step);
    if (latest > bestIndex) {
      bestIndex = latest;
      best = actors[i]!;
    }
  }
  return best ?? actors[0]!;
}

/** Most actors listed by name beside a chart; beyond it, finished ones are counted instead. */
export const MAX_LISTED = 8;

/** How far back from the latest started actor to look for running ones. */
const LOOK_BACK_RUNNING = 256;

/**
 * The actors listed beside a machine's chart at a step: all that have
 * started when there are few, else the ones running now (and the followed
 * one), with a count of the others. Cheap in a long run: actors are in
 * order of their start, and the running ones are among the latest started.
 */
export function listedActors(actors: readonly ActorInfo[], step: number, followed: ActorInfo | null): { listed: ActorInfo[]; others: number } {
  const started = startedBy(actors, step);
  if (started <= MAX_LISTED) return { listed: actors.slice(0, started), others: 0 };
  const listed: ActorInfo[] = [];
  for (let i = started - 1; i >= 0 && i >= started - LOOK_BACK_RUNNING && listed.length < MAX_LISTED; i--) {
    const a = actors[i]!;
    if (isAlive(a, step) || a === followed) listed.push(a);
  }
  if (followed !== null && followed.first <= step && !listed.includes(followed)) listed[listed.length === MAX_LISTED ? MAX_LISTED - 1 : listed.length] = followed;
  listed.sort((a, b) => a.first - b.first);
  return { listed, others: started - listed.length };
}

/** A short tag for an actor on a chart: its number ('session2' → '2'), else its position. */
export function actorTag(actor: string, position: number): string {
  const m = /(\d+)(?:#(\d+))?$/.exec(actor);
  if (m === null) return String(position + 1);
  return m[2] === undefined ? m[1]! : `${m[1]}#${m[2]}`;
}
