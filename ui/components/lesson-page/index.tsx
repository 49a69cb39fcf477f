/**
 * A lesson's page: the lesson text beside the run, and the run as the
 * machines (statecharts and Python), the scenarios side by side, the
 * sequence diagram, the bytes and what each program printed, all at the
 * same step (components/run-view). Everything it shows is computed from
 * the trace records.
 */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { rolesOf as lessonRoles } from '../../../lessons/lesson-types.ts';
import type { TraceRecord } from '../../../runtime/trace/records.ts';
import type { CatalogLesson } from '../../lib/catalog.ts';
import { installHooks } from '../../lib/test-hooks.ts';
import { readTraceRecords, readTraceText, type TraceRead } from '../../lib/trace-file.ts';
import { usePlayback } from '../../lib/use-playback.ts';
import { useStep } from '../../lib/use-step.ts';
import { useStepKeys } from '../../lib/use-step-keys.ts';
import { buildRun } from '../../trace/run-model.ts';
import { LessonText, ScrollPanel } from '../lesson-text/index.tsx';
import { PageHeader } from '../page-header/index.tsx';
import { RunEnd } from '../program-output/index.tsx';
import { RunSettings, type TraceSource } from '../run-settings/index.tsx';
import { RunView } from '../run-view/index.tsx';
import { ScenarioCompare } from '../scenario-compare/index.tsx';
import { NetworkKnobs } from '../network-knobs/index.tsx';
import type { KnobValues } from '../../../lessons/knobs.ts';
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
  /** Notes about how the page was opened (an unusable `?seed=`), or a trace that could not be read. */
  notices: string[];
  onSeed(seed: number): void;
  onScenario(id: string): void;
  /** A trace loaded by the test hooks (`__sockstep.loadTrace`). */
  onTrace(read: TraceRead, name: string): void;
  /** A trace file the learner picked: the trace page shows it. */
  onOpenFile(file: File): void;
  onCloseTrace(): void;
  /** The knob values the runs were made with (lessons/knobs.ts), and how to ask for others. */
  knobs?: KnobValues;
  onKnobs?(values: KnobValues): void;
}

export function LessonPage(props: LessonPageProps) {
  const { lesson, scripts, records, runs, scenario, source, next, root, notices } = props;
  const { definition } = lesson;
  // Everything derived from the trace is computed once per trace, never per step.
  const machineRoles = useMemo(() => lessonRoles(definition), [definition]);
  const run = useMemo(() => buildRun(records, machineRoles), [records, machineRoles]);
  const count = run.steps.count;
  const knobsOffered = definition.scenarios.find((s) => s.id === scenario)?.knobs ?? [];

  const [step, setStep] = useStep(count);
  const playback = usePlayback(step, count, setStep);
  useStepKeys(step, count, setStep, playback.pause);

  // The test hooks read the latest values through a ref: effects run after paint, a test may ask sooner.
  const live = useRef({ step, count, setStep, onTrace: props.onTrace });
  live.current = { step, count, setStep, onTrace: props.onTrace };
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

  const header = records[0]?.type === 'run' ? records[0] : null;
  const otherLesson = header?.lesson !== undefined && header.lesson !== lesson.id ? header.lesson : null;
  const allNotices = otherLesson === null ? notices : [...notices, `This trace is a run of lesson “${otherLesson}”, not of this lesson: the text beside it is this lesson’s.`];

  return (
    <div class={styles.page} data-testid="lesson-page">
      <PageHeader
        root={root}
        kicker={
          <>
            Lesson {lesson.number}
            {header !== null && <span> · {header.transport === 'sim' ? 'simulated network, in your browser' : 'recorded on real sockets'}</span>}
          </>
        }
        title={lesson.meta.title}
        notices={allNotices}
      >
        <RunSettings
          scenarios={definition.scenarios}
          scenario={scenario}
          source={source}
          onScenario={props.onScenario}
          onSeed={props.onSeed}
          onOpenFile={props.onOpenFile}
          onCloseTrace={props.onCloseTrace}
        />
      </PageHeader>

      <RunView
        run={run}
        version={run.version}
        step={step}
        onStep={setStep}
        playback={playback}
        scripts={scripts}
        lesson={definition}
        end={(summary, compact) => <RunEnd summary={summary} next={next} root={root} compact={compact} />}
        aside={
          <aside class={styles.lesson} aria-labelledby="lesson-heading">
            <ScrollPanel label="Lesson text" class={styles.lessonPanel}>
              <h2 id="lesson-heading" class={styles.lessonHeading}>
                The lesson
              </h2>
              <LessonText markdown={lesson.text} parentLevel={2} />
            </ScrollPanel>
          </aside>
        }
        before={(record) => (
          <>
            {knobsOffered.length > 0 && source.kind === 'sim' && props.onKnobs !== undefined && (
              <section class={styles.panel} aria-labelledby="knobs-heading" data-testid="knobs-panel">
                <h2 id="knobs-heading" class={styles.heading2}>
                  The network <span class={styles.hint}>turn a knob and the run starts again, here in your browser</span>
                </h2>
                <NetworkKnobs knobs={knobsOffered} network={definition.scenarios.find((s) => s.id === scenario)?.network} values={props.knobs ?? {}} onChange={props.onKnobs} />
              </section>
            )}
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
          </>
        )}
      />
    </div>
  );
}
