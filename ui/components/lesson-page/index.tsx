/**
 * A lesson's page: the lesson text beside the run, and the run as the
 * machines (statecharts and Python), the scenarios side by side, the
 * sequence diagram, the bytes and what each program printed, all at the
 * same step. Everything it shows is computed from the trace records.
 */
import { useEffect, useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import layouts from 'virtual:chart-layouts';
import { findMachine } from '../../../lessons/index.ts';
import { rolesOf as lessonRoles, type LessonMachine } from '../../../lessons/lesson-types.ts';
import type { Role, TraceRecord } from '../../../runtime/trace/records.ts';
import { scriptPath, type CatalogLesson } from '../../lib/catalog.ts';
import { lineTable } from '../../lib/script-lines.ts';
import { installHooks, stepRendered } from '../../lib/test-hooks.ts';
import { readTraceRecords, readTraceText, type TraceRead } from '../../lib/trace-file.ts';
import { usePlayback } from '../../lib/use-playback.ts';
import { useStep } from '../../lib/use-step.ts';
import { useStepKeys } from '../../lib/use-step-keys.ts';
import { actorsByMachine } from '../../trace/machine-actors.ts';
import { rolesOf } from '../../trace/roles.ts';
import { summarize } from '../../trace/run-summary.ts';
import { buildSequence } from '../../trace/sequence.ts';
import { captionAt, type EdgesOfMachine } from '../../trace/step-context.ts';
import { actorOf, buildSteps, recordAt } from '../../trace/steps.ts';
import { buildStreams } from '../../trace/streams.ts';
import { ByteView } from '../byte-view/index.tsx';
import { LessonText, ScrollPanel } from '../lesson-text/index.tsx';
import { Link } from '../link/index.tsx';
import { MachinesPanel, type MachineEntry } from '../machines/index.tsx';
import { ProgramOutput, programsWithOutput, RunEnd } from '../program-output/index.tsx';
import { RunSettings, type TraceSource } from '../run-settings/index.tsx';
import { ScenarioCompare } from '../scenario-compare/index.tsx';
import { SequenceDiagram } from '../sequence-diagram/index.tsx';
import { StepControls } from '../step-controls/index.tsx';
import styles from './style.module.css';

export type { TraceSource };

export interface LessonPageProps {
  lesson: CatalogLesson;
  scripts: Readonly<Record<string, string>>;
  /** The trace shown. */
  records: TraceRecord[];
  /** Every scenario's run (same seed), for setting them side by side. */
  runs: ReadonlyMap<string, TraceRecord[]>;
  scenario: string;
  source: TraceSource;
  next: CatalogLesson | null;
  root: string;
  /** Notes about how the page was opened (an unusable `?seed=`), or a trace file that could not be read. */
  notices: string[];
  onSeed(seed: number): void;
  onScenario(id: string): void;
  onTrace(read: TraceRead, name: string): void;
  onCloseTrace(): void;
}

/** The statechart edges of each machine, from the layouts made at build time. */
const edgesOfMachine: EdgesOfMachine = (machine) => layouts[machine]?.edges ?? null;

export function LessonPage(props: LessonPageProps) {
  const { lesson, scripts, records, runs, scenario, source, next, root, notices } = props;
  const { definition } = lesson;
  // Everything derived from the trace is computed once per trace, never per step.
  const machineRoles = useMemo(() => lessonRoles(definition), [definition]);
  const model = useMemo(() => buildSteps(records), [records]);
  const roles = useMemo(() => rolesOf(model, machineRoles), [model, machineRoles]);
  const seq = useMemo(() => buildSequence(model, roles), [model, roles]);
  const streams = useMemo(() => buildStreams(records), [records]);
  const summary = useMemo(() => summarize(model, roles), [model, roles]);
  const programs = useMemo(() => programsWithOutput(model, roles), [model, roles]);
  const machines = useMemo(() => machineEntries(model, definition.id, definition.machines, scripts, roles), [model, definition, scripts, roles]);

  const [step, setStep] = useStep(model.count);
  const playback = usePlayback(step, model.count, setStep);
  useStepKeys(step, model.count, setStep, playback.pause);

  // The test hooks read the latest values through a ref: effects run after paint, a test may ask sooner.
  const live = useRef({ step, count: model.count, setStep, onTrace: props.onTrace });
  live.current = { step, count: model.count, setStep, onTrace: props.onTrace };
  useEffect(
    () =>
      installHooks({
        step: () => live.current.step,
        count: () => live.current.count,
        setStep: (s) => live.current.setStep(s),
        loadTrace: (trace) => live.current.onTrace(typeof trace === 'string' ? readTraceText(trace) : readTraceRecords(trace), 'loaded trace'),
      }),
    [],
  );
  useLayoutEffect(() => stepRendered(), [step, model]);

  // The lesson text sits just under the sticky step bar, whatever height the bar has.
  const page = useRef<HTMLDivElement>(null);
  const bar = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (bar.current === null || page.current === null || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => page.current?.style.setProperty('--bar-height', `${bar.current?.offsetHeight ?? 0}px`));
    observer.observe(bar.current);
    return () => observer.disconnect();
  }, []);

  const header = records[0]?.type === 'run' ? records[0] : null;
  const otherLesson = header?.lesson !== undefined && header.lesson !== lesson.id ? header.lesson : null;
  const allNotices = otherLesson === null ? notices : [...notices, `This trace is a run of lesson “${otherLesson}”, not of this lesson: the text beside it is this lesson’s.`];

  const top = (
    <header class={styles.top}>
      <Link class={styles.brand} href={root} aria-label="Sockstep: all lessons">
        <span class={styles.logo} aria-hidden="true">
          ⇄
        </span>
        <span>All lessons</span>
      </Link>
      <div class={styles.heading}>
        <p class={styles.kicker}>
          Lesson {lesson.number}
          {header !== null && <span> · {header.transport === 'sim' ? 'simulated network, in your browser' : 'recorded on real sockets'}</span>}
        </p>
        <h1 class={styles.title}>{lesson.meta.title}</h1>
        <RunSettings
          scenarios={definition.scenarios}
          scenario={scenario}
          source={source}
          onScenario={props.onScenario}
          onSeed={props.onSeed}
          onTrace={props.onTrace}
          onCloseTrace={props.onCloseTrace}
        />
        {allNotices.map((notice) => (
          <p key={notice} class={styles.notice} role="status" data-testid="page-notice">
            {notice}
          </p>
        ))}
      </div>
    </header>
  );

  if (model.count === 0) {
    return (
      <div class={styles.page} data-testid="lesson-page">
        {top}
        <p class={styles.message}>This trace has no steps: nothing ran.</p>
      </div>
    );
  }

  const record = recordAt(model, step);
  const caption = captionAt(model, step, edgesOfMachine);
  const captionActor = actorOf(record);
  const atEnd = step === model.count - 1;

  return (
    <div class={styles.page} data-testid="lesson-page" ref={page}>
      {top}

      <div class={styles.bar} ref={bar}>
        <StepControls step={step} count={model.count} onStep={setStep} playback={playback} />
        <p class={`${styles.caption} ${styles[roles.get(captionActor) ?? 'none'] ?? ''}`} data-testid="step-caption" aria-live="polite" aria-atomic="true">
          <span class="visually-hidden">Step {step + 1} of {model.count}: </span>
          {captionActor !== '' && (
            <span class={styles.who} aria-hidden="true">
              {captionActor}
            </span>
          )}
          {caption}
        </p>
        {atEnd && <RunEnd summary={summary} next={next} root={root} compact />}
      </div>

      <div class={styles.layout}>
        <aside class={styles.lesson} aria-labelledby="lesson-heading">
          <ScrollPanel label="Lesson text" class={styles.lessonPanel}>
            <h2 id="lesson-heading" class={styles.lessonHeading}>
              The lesson
            </h2>
            <LessonText markdown={lesson.text} parentLevel={2} />
          </ScrollPanel>
        </aside>

        <main class={styles.work}>
          {definition.scenarios.length > 1 && runs.size > 1 && (
            <section class={styles.panel} aria-labelledby="compare-heading">
              <h2 id="compare-heading" class={styles.heading2}>
                The scenarios side by side <span class={styles.hint}>each client from start to end · click one to show it</span>
              </h2>
              <ScenarioCompare
                scenarios={definition.scenarios}
                runs={runs}
                current={source.kind === 'sim' ? scenario : ''}
                machineRoles={machineRoles}
                now={source.kind === 'sim' ? record.t : null}
                onScenario={props.onScenario}
              />
            </section>
          )}

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
            <SequenceDiagram model={model} seq={seq} step={step} onStep={setStep} edgesOfMachine={edgesOfMachine} />
          </section>

          <section class={styles.panel} aria-labelledby="bytes-heading">
            <h2 id="bytes-heading" class={styles.heading2}>
              Bytes <span class={styles.hint}>one row per send or recv call, up to this step</span>
            </h2>
            <ByteView model={model} streams={streams} roles={roles} step={step} onStep={setStep} />
          </section>

          <section class={styles.panel} aria-labelledby="output-heading" data-testid="output-panel">
            <h2 id="output-heading" class={styles.heading2}>
              Output <span class={styles.hint}>what each program has printed by this step</span>
            </h2>
            <ProgramOutput model={model} step={step} roles={roles} programs={programs} />
            {atEnd && <RunEnd summary={summary} next={next} root={root} />}
          </section>
        </main>
      </div>
    </div>
  );
}

/**
 * The machines of the trace, in the lesson's order (a machine the lesson
 * does not list, from a trace file of another lesson, is looked up in the
 * registry for its role; its script is not loaded), each with its chart,
 * its script and the script lines of its states.
 */
function machineEntries(
  model: ReturnType<typeof buildSteps>,
  lessonId: string,
  lessonMachines: readonly LessonMachine[],
  scripts: Readonly<Record<string, string>>,
  roles: ReadonlyMap<string, Role>,
): MachineEntry[] {
  const byMachine = actorsByMachine(model);
  const order = lessonMachines.map((m) => m.machine.id);
  const ids = [...byMachine.keys()].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? Number.MAX_SAFE_INTEGER : ia) - (ib < 0 ? Number.MAX_SAFE_INTEGER : ib);
  });
  return ids.map((id) => {
    const own = lessonMachines.find((m) => m.machine.id === id);
    const entry = own ?? findMachine(id);
    const actors = byMachine.get(id)!;
    // A script path from the lessons folder, as the scripts were loaded (lesson-files.ts).
    const script = own?.script === undefined ? null : scriptPath(lessonId, own.script);
    return {
      id,
      role: entry?.role ?? roles.get(actors[0]!.actor) ?? 'client',
      layout: layouts[id],
      script: script !== null && Object.hasOwn(scripts, script) ? script : null,
      lines: lineTable(script === null ? '' : (scripts[script] ?? ''), entry?.lines ?? {}).table,
      actors,
    };
  });
}
