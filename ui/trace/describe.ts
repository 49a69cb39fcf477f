/**
 * One plain sentence per step, shown under the controls: what happened,
 * in the words of the Python socket API the lessons teach.
 */
import type { StatusRecord, TraceRecord } from '../../runtime/trace/records.ts';
import { endpointText } from '../../runtime/transport/endpoint.ts';
import { base64Size } from './byte-rows.ts';
import { byteCount } from './byte-text.ts';
import { hintFor, outcomeOf } from './outcome.ts';
import { stateText } from './sequence.ts';
import type { StepContext } from './step-context.ts';
import { causeOf } from './transitions.ts';

function describeStatus(r: StatusRecord, context: StepContext): string {
  const outcome = outcomeOf(r, context.lastState ?? null);
  if (outcome.kind === 'stopped') return `${r.actor} was stopped before it finished.`;
  if (outcome.kind === 'finished') return `${r.actor} has finished (final state reached).`;
  // What happened in plain words first, the raw code and message beside it.
  const raw = [outcome.code, outcome.message].filter((x) => x !== null).join(': ');
  if (outcome.hint !== null) return `${r.actor} has failed: ${outcome.hint} (${raw})`;
  if (raw !== '') return `${r.actor} has failed: ${raw}`;
  return `${r.actor} has failed: it ended in its failed state.`;
}

/** One sentence for a step's record; `context` (see step-context.ts) fills in what the record alone does not say. */
export function describeStep(r: TraceRecord, context: StepContext = {}): string {
  switch (r.type) {
    case 'run':
      return `A run on the ${r.transport === 'sim' ? 'simulated network' : 'real network'}.`;
    case 'event':
      return `${r.actor} receives the event ${r.event.type}.`;
    case 'actor':
      return `${r.actor} starts: the ${r.machine} machine begins to run.`;
    case 'microstep': {
      if (r.transitions.length === 0) return `${r.actor} begins in state ${stateText(r.state)}.`;
      const cause = causeOf(r, context.edges ?? null, context.event?.event.type ?? r.event);
      const from = r.transitions.map((t) => t.source.split('.').slice(1).join('.')).join(', ');
      // An eventless step is not 'on' anything: it fires by itself once its guard holds.
      let because = `on ${cause.label}`;
      if (cause.kind === 'always') because = cause.label === 'automatically' ? 'automatically' : `automatically (${cause.label})`;
      return `${r.actor}: ${because}, ${from} → ${stateText(r.state)}.`;
    }
    case 'status':
      return describeStatus(r, context);
    case 'listen':
      return `${r.actor} listens on ${endpointText(r.addr)}; up to ${r.backlog} clients may wait to be accepted.`;
    case 'connect':
      return `${r.actor} connects from ${endpointText(r.local)} to ${endpointText(r.remote)}: connection ${r.conn} is open.`;
    case 'accept':
      return `${r.actor} accepts ${r.conn} from ${endpointText(r.remote)}: a new socket for this one client.`;
    case 'send':
      return r.accepted < r.offered
        ? `${r.actor} offers ${byteCount(r.offered)} on ${r.conn}; only ${r.accepted} fit, the rest needs another send.`
        : `${r.actor} sends ${byteCount(r.accepted)} on ${r.conn}.`;
    case 'recv': {
      const size = base64Size(r.data);
      return size === 0
        ? `${r.actor}'s recv(${r.max}) returns b'' on ${r.conn}: no bytes at all.`
        : `${r.actor}'s recv(${r.max}) returns ${byteCount(size)} on ${r.conn}.`;
    }
    case 'eof':
      return `${r.actor} sees end of data on ${r.conn}: the other end closed its side.`;
    case 'reset':
      return r.by === 'local'
        ? `${r.actor} resets ${r.conn}: the other end will see an error, not end of data.`
        : `${r.conn} was reset by the other end.`;
    case 'error': {
      const hint = hintFor(r.code);
      return `${r.actor}'s ${r.op} failed with ${r.code}: ${r.message}.${hint === null ? '' : ` ${hint}`}`;
    }
    case 'close':
      return r.conn !== undefined
        ? `${r.actor} closes its end of ${r.conn}; the other end will read end of data.`
        : `${r.actor} closes listener ${r.listener ?? ''}: no more clients.`;
  }
}
