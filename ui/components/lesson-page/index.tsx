/**
 * The lesson page: the lesson text beside the two machines (statechart
 * above, Python script below), then the sequence diagram and the bytes,
 * all showing the same step.
 */
import { useEffect, useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import layouts from 'virtual:chart-layouts';
import type { TraceRecord } from '../../../runtime/trace/records.ts';
import type { LessonPageContent } from '../../lib/lessons.ts';
import { currentLine, lineTable } from '../../lib/script-lines.ts';
import { installHooks, stepRendered } from '../../lib/test-hooks.ts';
import { usePlayback } from '../../lib/use-playback.ts';
import { useStep } from '../../lib/use-step.ts';
import { useStepKeys } from '../../lib/use-step-keys.ts';
import { describeStep } from '../../trace/describe.ts';
import { buildSequence, type Role } from '../../trace/sequence.ts';
import { contextAt, type EdgesOfMachine } from '../../trace/step-context.ts';
import { buildSteps, microstepAt, recordAt, statusAt } from '../../trace/steps.ts';
import { ByteView } from '../byte-view/index.tsx';
import { LessonText } from '../lesson-text/index.tsx';
import { ScriptView } from '../script-view/index.tsx';
import { SequenceDiagram } from '../sequence-diagram/index.tsx';
import { Statechart } from '../statechart/index.tsx';
import { StepControls } from '../step-controls/index.tsx';
import styles from './style.module.css';

export interface LessonPageProps {
  lesson: LessonPageContent;
  records: TraceRecord[];
  /** Replace the trace (the test hooks' `loadTrace`). */
  onRecords(records: TraceRecord[]): void;
  /** A note about how the page was opened (an unusable `?seed=`), shown under the title. */
  notice?: string | null;
}

/** The statechart edges of each machine, from the layouts made at build time. */
const edgesOfMachine: EdgesOfMachine = (machine) => layouts[machine]?.edges ?? null;

export function LessonPage({ lesson, records, onRecords, notice = null }: LessonPageProps) {
  const { definition } = lesson;
  // Everything derived from the trace is computed once per trace, never per step.
  const model = useMemo(() => buildSteps(records), [records]);
  const roles = useMemo(() => Object.fromEntries(definition.machines.map((m) => [m.actor, m.role])) as Record<string, Role>, [definition]);
  const seq = useMemo(() => buildSequence(model, roles), [model, roles]);
  const tables = useMemo(
    () => Object.fromEntries(definition.machines.map((m) => [m.actor, lineTable(lesson.scripts[m.script] ?? '', definition.lines[m.script] ?? {})])),
    [lesson, definition],
  );

  const [step, setStep] = useStep(model.count);
  const playback = usePlayback(step, model.count, setStep);
  useStepKeys(step, model.count, setStep, playback.pause);

  // The test hooks read the latest values through a ref: effects run after paint, a test may ask sooner.
  const live = useRef({ step, count: model.count, setStep, onRecords });
  live.current = { step, count: model.count, setStep, onRecords };
  useEffect(
    () =>
      installHooks({
        step: () => live.current.step,
        count: () => live.current.count,
        setStep: (s) => live.current.setStep(s),
        loadTrace: (r) => live.current.onRecords(r),
      }),
    [],
  );
  useLayoutEffect(() => stepRendered(), [step, model]);

  if (model.count === 0) return <p class={styles.message}>This trace has no steps.</p>;

  const record = recordAt(model, step);
  const caption = describeStep(record, contextAt(model, step, edgesOfMachine));
  const captionActor = 'actor' in record ? record.actor : '';
  const lessonNumber = Number.parseInt(definition.id, 10);
  const run = records[0]?.type === 'run' ? records[0] : null;

  return (
    <div class={styles.page} data-testid="lesson-page">
      <header class={styles.top}>
        <a class={styles.brand} href="./" aria-label="Sockstep home">
          <span class={styles.logo} aria-hidden="true">
            ⇄
          </span>
          Sockstep
        </a>
        <div>
          <p class={styles.kicker}>
            Lesson {Number.isNaN(lessonNumber) ? definition.id : lessonNumber}
            {run !== null && (
              <span>
                {' '}
                · {run.transport === 'sim' ? 'simulated network' : 'real sockets'}
                {run.seed !== undefined && ` · seed ${run.seed}`}
              </span>
            )}
          </p>
          <h1 class={styles.title}>{definition.title}</h1>
          {notice !== null && (
            <p class={styles.notice} role="status" data-testid="page-notice">
              {notice}
            </p>
          )}
        </div>
      </header>

      <div class={styles.bar}>
        <StepControls step={step} count={model.count} onStep={setStep} playback={playback} />
        <p class={`${styles.caption} ${styles[roles[captionActor] ?? 'none']}`} data-testid="step-caption">
          {captionActor !== '' && <span class={styles.who}>{captionActor}</span>}
          {caption}
        </p>
      </div>

      <main class={styles.layout}>
        <aside class={styles.lesson} aria-label="Lesson text">
          <LessonText markdown={lesson.text} />
        </aside>

        <div class={styles.work}>
          <section class={styles.panel} aria-labelledby="machines-heading">
            <h2 id="machines-heading" class={styles.heading}>
              The machines <span class={styles.hint}>and the Python each one stands for</span>
            </h2>
            <div class={styles.pair} style={{ gridTemplateColumns: `repeat(${definition.machines.length}, minmax(0, 1fr))` }}>
              {definition.machines.map((m) => {
                const layout = layouts[m.machine.id];
                const micro = microstepAt(model, m.actor, step);
                return layout === undefined ? (
                  <p key={m.actor} class={styles.message}>
                    No chart for {m.machine.id}: is it in the lessons list?
                  </p>
                ) : (
                  <Statechart
                    key={m.actor}
                    actor={m.actor}
                    layout={layout}
                    role={m.role}
                    microstep={micro}
                    isCurrent={micro !== null && micro === record}
                    status={statusAt(model, m.actor, step)}
                  />
                );
              })}
              {definition.machines.map((m) => (
                <ScriptView
                  key={m.script}
                  name={m.script}
                  role={m.role}
                  source={lesson.scripts[m.script] ?? ''}
                  line={currentLine(model, m.actor, step, tables[m.actor] ?? {})}
                />
              ))}
            </div>
          </section>

          <section class={styles.panel} aria-labelledby="sequence-heading">
            <h2 id="sequence-heading" class={styles.heading}>
              Sequence diagram <span class={styles.hint}>time runs down · click a row to go there</span>
            </h2>
            <SequenceDiagram model={model} seq={seq} step={step} onStep={setStep} edgesOfMachine={edgesOfMachine} />
          </section>

          <section class={styles.panel} aria-labelledby="bytes-heading">
            <h2 id="bytes-heading" class={styles.heading}>
              Bytes <span class={styles.hint}>one row per send or recv call, up to this step</span>
            </h2>
            <ByteView model={model} step={step} onStep={setStep} />
          </section>
        </div>
      </main>
    </div>
  );
}
