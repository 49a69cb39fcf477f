/**
 * A run as the page shows it, whatever it comes from (a lesson on the
 * simulated network, a live run, a trace file): the step bar (controls and
 * the step's caption), then the machines (statecharts and Python), the
 * sequence diagram, the bytes and what each program printed, all at the
 * same step. Pages put their own header above it and may add a panel
 * before the machines, an aside (the lesson text), something in the bar
 * (following a live run) and what to say at the last step.
 *
 * Everything here is derived from the run model (trace/run-model.ts),
 * which grows as records arrive: what depends on the actors alone (roles,
 * lanes, charts) is recomputed when they change, never per step.
 */
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import type { LessonDefinition } from '../../../lessons/lesson-types.ts';
import type { TraceRecord } from '../../../runtime/trace/records.ts';
import { layoutOf, useChartLayouts } from '../../lib/chart-layouts.ts';
import { machineEntries } from '../../lib/machine-entries.ts';
import { stepRendered } from '../../lib/test-hooks.ts';
import { toneClass } from '../../lib/tone.ts';
import type { Playback } from '../../lib/use-playback.ts';
import type { RunModel } from '../../trace/run-model.ts';
import { summarize, type RunSummary } from '../../trace/run-summary.ts';
import { sequenceOf } from '../../trace/sequence.ts';
import { captionAt, type EdgesOfMachine } from '../../trace/step-context.ts';
import { actorOf, recordAt } from '../../trace/steps.ts';
import { hasFiles } from '../../trace/folder-files.ts';
import { ByteView } from '../byte-view/index.tsx';
import { FileView } from '../file-view/index.tsx';
import { MachinesPanel } from '../machines/index.tsx';
import { ProgramOutput } from '../program-output/index.tsx';
import { SequenceDiagram } from '../sequence-diagram/index.tsx';
import { StepControls } from '../step-controls/index.tsx';
import styles from './style.module.css';


export interface RunViewProps {
  run: RunModel;
  /** The run model's version when this render was asked for: the page re-renders as records arrive. */
  version: number;
  /** The step shown, from 0 among the steps held. */
  step: number;
  onStep(step: number): void;
  playback: Playback;
  scripts: Readonly<Record<string, string>>;
  /** The lesson whose machines come first (a lesson's page), or null. */
  lesson: LessonDefinition | null;
  /** Beside the step controls: a live run's follow and hold. */
  barExtra?: ComponentChildren;
  /** What to say at the last step: one line in the bar (`compact`), and a summary under the output. */
  end?: (summary: RunSummary, compact: boolean) => ComponentChildren;
  /** Beside the run (the lesson text). */
  aside?: ComponentChildren;
  /** Panels before the machines, given the current record (the scenarios side by side). */
  before?: (record: TraceRecord) => ComponentChildren;
  /** What to say when the trace has no steps yet. */
  empty?: ComponentChildren;
}

export function RunView(props: RunViewProps) {
  const { run, version, step, onStep, playback, scripts, lesson } = props;
  const model = run.steps;
  const actorsVersion = model.actorsVersion;
  // Lanes and roles are kept as actors come (trace/lanes.ts): the same objects until their layout changes.
  const lanes = run.lanes.snapshot();
  const roles = run.lanes.roles;
  const slots = run.wires.slots;
  const seq = useMemo(() => sequenceOf(lanes, run.wires), [lanes, run.wires, slots]);
  // A chart per machine: made again when a machine first appears (its actors' lists grow in place).
  // Their layouts come a lesson at a time (lib/chart-layouts.ts): charts and captions are made again when some arrive.
  const machineIds = useMemo(() => [...new Set([...(lesson?.machines.map((m) => m.machine.id) ?? []), ...model.byMachine.keys()])], [model, model.machinesVersion, lesson]);
  const layoutsLoaded = useChartLayouts(machineIds);
  const machines = useMemo(() => machineEntries(model, roles, scripts, lesson), [model, model.machinesVersion, roles, scripts, lesson, layoutsLoaded]);
  // The statechart edges of each machine, for captions that name a transition.
  const edgesOfMachine = useMemo<EdgesOfMachine>(() => (machine) => layoutOf(machine)?.edges ?? null, [layoutsLoaded]);
  const programs = useMemo(() => run.prints.programs(roles), [run, roles, version]);
  const atEnd = model.count > 0 && step === model.count - 1;
  const wantsEnd = atEnd && props.end !== undefined;
  const summary = useMemo(() => (wantsEnd ? summarize(model, roles, run.totals) : null), [wantsEnd, model, roles, version]);

  useLayoutEffect(() => stepRendered(), [step, version, model]);

  // The aside sits just under the sticky step bar, whatever height the bar has.
  const page = useRef<HTMLDivElement>(null);
  const bar = useRef<HTMLDivElement>(null);
  const hasSteps = model.count > 0;
  useLayoutEffect(() => {
    if (bar.current === null || page.current === null || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => page.current?.style.setProperty('--bar-height', `${bar.current?.offsetHeight ?? 0}px`));
    observer.observe(bar.current);
    return () => observer.disconnect();
  }, [hasSteps]);

  if (!hasSteps) {
    return (
      <div class={styles.run} ref={page}>
        {props.barExtra !== undefined && (
          <div class={styles.bar} ref={bar}>
            {props.barExtra}
          </div>
        )}
        <p class={styles.message} data-testid="no-steps">
          {props.empty ?? 'This trace has no steps: nothing ran.'}
        </p>
      </div>
    );
  }

  const record = recordAt(model, step);
  const caption = captionAt(model, step, edgesOfMachine);
  const captionActor = actorOf(record);
  const main = (
    <main class={styles.work}>
      {props.before?.(record)}

      <section class={styles.panel} aria-labelledby="machines-heading">
        <h2 id="machines-heading" class={styles.heading2}>
          The machines <span class={styles.hint}>and the Python each one stands for</span>
        </h2>
        <MachinesPanel model={model} step={step} record={record} machines={machines} scripts={scripts} />
      </section>

      <section class={styles.panel} aria-labelledby="sequence-heading">
        <h2 id="sequence-heading" class={styles.heading2}>
          Sequence diagram <span class={styles.hint}>time runs down · click a row to go there</span>
        </h2>
        <SequenceDiagram model={model} seq={seq} step={step} onStep={onStep} edgesOfMachine={edgesOfMachine} />
      </section>

      {hasFiles(model) && (
        <section class={styles.panel} aria-labelledby="files-heading" data-testid="files-panel">
          <h2 id="files-heading" class={styles.heading2}>
            Files <span class={styles.hint}>each program’s folder as the trace shows it at this step: what it read, what it wrote</span>
          </h2>
          <FileView model={model} roles={roles} step={step} onStep={onStep} />
        </section>
      )}

      <section class={styles.panel} aria-labelledby="bytes-heading">
        <h2 id="bytes-heading" class={styles.heading2}>
          Bytes <span class={styles.hint}>one row per send or recv call, up to this step</span>
        </h2>
        <ByteView model={model} streams={run.streams} roles={roles} step={step} onStep={onStep} />
      </section>

      <section class={styles.panel} aria-labelledby="output-heading" data-testid="output-panel">
        <h2 id="output-heading" class={styles.heading2}>
          Output <span class={styles.hint}>what each program has printed by this step</span>
        </h2>
        <ProgramOutput model={model} step={step} roles={roles} programs={programs} />
        {summary !== null && props.end?.(summary, false)}
      </section>
    </main>
  );

  return (
    <div class={styles.run} ref={page}>
      <div class={styles.bar} ref={bar}>
        <StepControls step={step} count={model.count} first={model.firstStep} onStep={onStep} playback={playback} />
        {props.barExtra}
        <p class={`${styles.caption} ${toneClass(roles.get(captionActor))}`} data-testid="step-caption" aria-live="polite" aria-atomic="true">
          <span class="visually-hidden">
            Step {model.firstStep + step + 1} of {model.firstStep + model.count}:{' '}
          </span>
          {captionActor !== '' && (
            <span class={styles.who} aria-hidden="true">
              {captionActor}
            </span>
          )}
          {caption}
        </p>
        {summary !== null && props.end?.(summary, true)}
      </div>
      {props.aside === undefined ? (
        main
      ) : (
        <div class={styles.layout}>
          {props.aside}
          {main}
        </div>
      )}
    </div>
  );
}
