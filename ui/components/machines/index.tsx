/**
 * The machines of the run and the Python each stands for: a statechart per
 * machine, all at one common scale, with a legend; then each script, its
 * line of the latest call highlighted.
 *
 * Several actors may run one machine (three sessions, three clients): the
 * chart follows one of them (the current step's, unless the learner picks
 * one), shows where each other running actor is with a numbered tag, and
 * lists them all as buttons with their states.
 */
import { useState } from 'preact/hooks';
import { outcomeOf, stateText } from '../../../runtime/trace/describe.ts';
import { OUTSIDE_PROGRAM, type Role, type TraceRecord } from '../../../runtime/trace/records.ts';
import { chartScale, type ChartLayout } from '../../charts/chart-layout.ts';
import { currentLine, type LineTable } from '../../lib/script-lines.ts';
import { toneClass } from '../../lib/tone.ts';
import { useWidth } from '../../lib/use-width.ts';
import { actorTag, followedActor, listedActors } from '../../trace/machine-actors.ts';
import { isAlive, microstepAt, statusAt, type ActorInfo, type StepModel } from '../../trace/steps.ts';
import { ScriptView } from '../script-view/index.tsx';
import { Statechart, type OtherActor } from '../statechart/index.tsx';
import styles from './style.module.css';

/** A machine of the run, as the page knows it. */
export interface MachineEntry {
  id: string;
  role: Role;
  layout: ChartLayout | undefined;
  /** Its Python script, as a path from the lessons folder ('<folder>/server1.py'), if the lesson gives one. */
  script: string | null;
  /** State id → script line. */
  lines: LineTable;
  actors: ActorInfo[];
}

export interface MachinesPanelProps {
  model: StepModel;
  step: number;
  record: TraceRecord;
  machines: MachineEntry[];
  scripts: Readonly<Record<string, string>>;
}

const GAP = 24;

export function MachinesPanel({ model, step, record, machines, scripts }: MachinesPanelProps) {
  const [picked, setPicked] = useState<ReadonlyMap<string, string>>(new Map());
  const [row, available] = useWidth<HTMLDivElement>(900);
  const charted = machines.filter((m) => m.layout !== undefined);
  const { scale } = chartScale(
    charted.map((m) => m.layout!.width),
    available,
    GAP,
  );
  const pick = (machine: string, actor: string | null) =>
    setPicked((old) => {
      const next = new Map(old);
      if (actor === null) next.delete(machine);
      else next.set(machine, actor);
      return next;
    });

  const followed = new Map(machines.map((m) => [m.id, followedActor(model, m.actors, step, picked.get(m.id) ?? null)]));

  return (
    <>
      <div class={styles.charts} ref={row}>
        {machines.map((m) => {
          const actor = followed.get(m.id) ?? null;
          if (m.layout === undefined || actor === null) {
            return (
              <p key={m.id} class={styles.message} data-testid={`no-chart-${m.id}`}>
                {m.id === OUTSIDE_PROGRAM
                  ? `${m.actors.map((a) => a.actor).join(', ')}: a program outside Sockstep, seen through the tap. It has no statechart; its socket calls show in the sequence diagram and the bytes.`
                  : `No chart for the machine “${m.id}”: it is not in any lesson of the registry.`}
              </p>
            );
          }
          const micro = microstepAt(model, actor.actor, step);
          const { listed, others } = m.actors.length > 1 ? listedActors(m.actors, step, actor) : { listed: [], others: 0 };
          const tags: OtherActor[] = [];
          listed.forEach((a, i) => {
            if (a === actor || !isAlive(a, step)) return;
            const state = microstepAt(model, a.actor, step)?.state;
            if (state !== undefined) tags.push({ actor: a.actor, tag: actorTag(a.actor, i), state });
          });
          return (
            <div key={m.id} class={styles.card} style={{ width: `${Math.round(m.layout.width * scale)}px` }}>
              {m.actors.length > 1 && (
                <ActorPicker
                  machine={m.id}
                  role={m.role}
                  model={model}
                  step={step}
                  listed={listed}
                  others={others}
                  followed={actor}
                  picked={picked.get(m.id) ?? null}
                  onPick={(a) => pick(m.id, a)}
                />
              )}
              <Statechart
                machine={m.id}
                actor={actor.actor}
                layout={m.layout}
                role={m.role}
                scale={scale}
                overflows={m.layout.width * scale > available + 1}
                microstep={micro}
                isCurrent={micro !== null && micro === record}
                status={statusAt(model, actor.actor, step)}
                others={tags}
              />
            </div>
          );
        })}
      </div>
      <Legend several={machines.some((m) => m.actors.length > 1)} />
      <Scripts model={model} step={step} machines={machines} followed={followed} scripts={scripts} />
    </>
  );
}

interface PickerProps {
  machine: string;
  role: Role;
  model: StepModel;
  step: number;
  listed: ActorInfo[];
  others: number;
  followed: ActorInfo;
  picked: string | null;
  onPick(actor: string | null): void;
}

/** The actors running one machine, each a button: the chart follows the one pressed, or the current step's with "auto". */
function ActorPicker({ machine, role, model, step, listed, others, followed, picked, onPick }: PickerProps) {
  return (
    <div class={`${styles.picker} ${toneClass(role)}`} role="group" aria-label={`Which ${machine} actor the chart follows`} data-testid={`picker-${machine}`}>
      <button type="button" class={styles.pick} aria-pressed={picked === null} onClick={() => onPick(null)} title="Follow the actor of the current step">
        auto
      </button>
      {listed.map((a, i) => {
        const micro = microstepAt(model, a.actor, step);
        const status = statusAt(model, a.actor, step);
        const outcome = status === null ? null : outcomeOf(status, micro?.state ?? null);
        const state = micro === null ? 'not started' : stateText(micro.state);
        return (
          <button
            key={a.actor}
            type="button"
            class={`${styles.pick} ${a === followed ? styles.followed : ''}`}
            aria-pressed={picked === a.actor}
            aria-current={a === followed ? 'true' : undefined}
            onClick={() => onPick(picked === a.actor ? null : a.actor)}
            data-actor={a.actor}
          >
            <span class={styles.tag}>{actorTag(a.actor, i)}</span>
            <span class={styles.pickName}>{a.actor}</span>
            <span class={styles.pickState}>
              {outcome === null ? state : outcome.kind === 'finished' ? '✓' : outcome.kind === 'failed' ? '✗' : 'stopped'}
            </span>
          </button>
        );
      })}
      {others > 0 && <span class={styles.othersCount}>and {others.toLocaleString('en-US')} more that have ended</span>}
    </div>
  );
}

/** What the marks on the charts mean (the actor tags only where a machine has several actors). */
function Legend({ several }: { several: boolean }) {
  return (
    <dl class={styles.legend} aria-label="How to read the statecharts" data-testid="chart-legend">
      <div>
        <dt>
          <span class={styles.sampleActive}>state</span>
        </dt>
        <dd>the state the machine is in now</dd>
      </div>
      <div>
        <dt>
          <code>accept ✓</code>
        </dt>
        <dd>the call succeeded</dd>
      </div>
      <div>
        <dt>
          <code>accept ✗</code>
        </dt>
        <dd>the call failed</dd>
      </div>
      <div>
        <dt>
          <svg width="34" height="10" aria-hidden="true">
            <line x1="1" x2="33" y1="5" y2="5" class={styles.sampleDashed} />
          </svg>
        </dt>
        <dd>a dashed edge: what happens on a failure</dd>
      </div>
      <div>
        <dt>
          <code>always</code>
        </dt>
        <dd>taken by itself, no event needed, as soon as its [guard] holds</dd>
      </div>
      <div>
        <dt>
          <span class={styles.sampleFinal}>done</span>
        </dt>
        <dd>double border: a final state, the machine stops there</dd>
      </div>
      {several && (
        <div>
          <dt>
            <span class={styles.sampleTag}>2</span>
          </dt>
          <dd>where another actor of the same machine is</dd>
        </div>
      )}
    </dl>
  );
}

interface ScriptsProps {
  model: StepModel;
  step: number;
  machines: MachineEntry[];
  followed: ReadonlyMap<string, ActorInfo | null>;
  scripts: Readonly<Record<string, string>>;
}

/**
 * Each script once, even when several machines stand for it (a server and
 * the sessions it starts are one Python file). Its highlighted line is that
 * of the latest call among the actors those machines' charts follow.
 */
function Scripts({ model, step, machines, followed, scripts }: ScriptsProps) {
  const names: string[] = [];
  for (const m of machines) if (m.script !== null && !names.includes(m.script)) names.push(m.script);
  if (names.length === 0) return null;
  return (
    <div class={styles.scripts}>
      {names.map((name) => {
        let best: { line: number; record: number; actor: string; role: Role } | null = null;
        let role: Role | null = null;
        const users = machines.filter((m) => m.script === name);
        for (const m of users) {
          role ??= m.role;
          const actor = followed.get(m.id);
          if (actor === null || actor === undefined) continue;
          const found = currentLine(model, actor, step, m.lines);
          if (found !== null && (best === null || found.record > best.record)) best = { ...found, actor: actor.actor, role: m.role };
        }
        const several = users.some((m) => m.actors.length > 1) || users.length > 1;
        return (
          <ScriptView
            key={name}
            name={name.split('/').pop() ?? name}
            role={best?.role ?? role ?? 'client'}
            source={scripts[name] ?? `# ${name} is not in the lesson folder.`}
            line={best?.line ?? null}
            actor={several && best !== null ? best.actor : null}
          />
        );
      })}
    </div>
  );
}
