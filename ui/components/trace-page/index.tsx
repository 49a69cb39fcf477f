/**
 * A saved trace (`sockstep run … --trace FILE`, a tap's, a download from
 * the live page): picked with the file picker, dropped on the page, or
 * named by `sockstep view FILE` (which hands the app that one file, by a
 * random id: `trace/?file=<id>`). The file is streamed, never read whole:
 * the first step shows after the first chunk, and the page holds a window
 * of steps (use-trace-file.ts). A file that cannot be read is said so in a
 * sentence, with the steps read before the problem shown.
 *
 * The address keeps the step (and the file's id for `sockstep view`), so a
 * reload comes back to it; a picked file must be picked again after a
 * reload (a browser does not let a page reopen it), and the page says so.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { appToken, fetchTraceFile, type ApiOptions } from '../../lib/api.ts';
import { lessonsOfModel, registryRoles } from '../../lib/machine-entries.ts';
import { takeHandedOver } from '../../lib/picked-file.ts';
import { traceHref } from '../../lib/routes.ts';
import { installHooks } from '../../lib/test-hooks.ts';
import type { Navigate } from '../../lib/use-location.ts';
import { usePlayback } from '../../lib/use-playback.ts';
import { useScripts } from '../../lib/use-scripts.ts';
import { stepFromUrl, URL_INTERVAL_MS } from '../../lib/use-step.ts';
import { useStepKeys } from '../../lib/use-step-keys.ts';
import { useTraceFile, type TraceOpener } from '../../lib/use-trace-file.ts';
import { PageHeader } from '../page-header/index.tsx';
import { RunEnd } from '../program-output/index.tsx';
import { RunView } from '../run-view/index.tsx';
import { stepNumber } from '../step-controls/index.tsx';
import { TraceTools } from '../trace-tools/index.tsx';
import styles from './style.module.css';

/** Beyond this size the page says it reads the file as it goes. */
export const LARGE_FILE_BYTES = 64 * 1024 * 1024;

export interface TracePageProps {
  root: string;
  search: string;
  navigate: Navigate;
}

function sizeText(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

export function TracePage({ root, search, navigate }: TracePageProps) {
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const fileId = params.get('file');
  const askedName = params.get('name');
  const [startStep] = useState(() => stepFromUrl(search));
  const [picked, setPicked] = useState<File | null>(() => takeHandedOver());
  const [dragging, setDragging] = useState(false);
  const token = useMemo(() => appToken(), []);
  const api = useMemo<ApiOptions | null>(() => (token === null ? null : { base: new URL(root, location.href).href, token }), [root, token]);

  const opener = useMemo<TraceOpener | null>(() => {
    if (picked !== null) return async () => ({ name: picked.name || 'the picked file', size: picked.size, stream: picked.stream() as ReadableStream<Uint8Array> });
    if (fileId !== null && api !== null) {
      return async () => {
        const served = await fetchTraceFile(api, fileId);
        return { name: served.name, size: served.size, stream: served.body };
      };
    }
    return null;
  }, [picked, fileId, api]);
  const machineRoles = useMemo(() => registryRoles(), []);
  const trace = useTraceFile(opener, picked === null ? `file:${fileId}` : `picked:${picked.name}:${picked.lastModified}`, startStep, machineRoles);

  const choose = useCallback(
    (file: File) => {
      setPicked(file);
      // A picked file replaces one `sockstep view` named: the address no longer names it.
      navigate(traceHref(root, {}) + `?${new URLSearchParams({ name: file.name }).toString()}`, { replace: true, keepScroll: true });
    },
    [root, navigate],
  );

  // Drop a file anywhere on the page.
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (![...(e.dataTransfer?.types ?? [])].includes('Files')) return;
      e.preventDefault();
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (file !== undefined) choose(file);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [choose]);

  const run = trace.model;
  const count = run.steps.count;
  const playback = usePlayback(trace.step, count, trace.setStep);
  useStepKeys(trace.step, count, trace.setStep, playback.pause);
  const lessons = useMemo(() => lessonsOfModel(run.steps), [run, run.steps.machinesVersion]);
  const scripts = useScripts(lessons);

  // The step into the address (by its number in the run, from 1), once it has stayed put a moment.
  const absolute = run.steps.firstStep + trace.step;
  useEffect(() => {
    if (opener === null || count === 0) return;
    const path = location.pathname;
    const timer = setTimeout(() => {
      if (location.pathname !== path) return;
      const p = new URLSearchParams(location.search);
      p.set('step', String(absolute + 1));
      const next = `?${p.toString()}`;
      if (next !== location.search) history.replaceState(history.state, '', `${location.pathname}${next}${location.hash}`);
    }, URL_INTERVAL_MS);
    return () => clearTimeout(timer);
  }, [absolute, count, opener]);

  const latest = useRef({ trace, step: trace.step, count });
  latest.current = { trace, step: trace.step, count };
  useEffect(
    () =>
      installHooks({
        step: () => latest.current.step,
        count: () => latest.current.count,
        setStep: (s) => latest.current.trace.setStep(s),
        loadTrace: (text) => choose(new File([typeof text === 'string' ? text : JSON.stringify(text)], 'loaded trace')),
        live: {
          first: () => latest.current.trace.model.steps.firstStep,
          seqs: () => latest.current.trace.model.steps.records.map((r) => r.seq),
          received: () => latest.current.trace.model.steps.records.length,
          following: () => false,
          follow: () => undefined,
          lastRender: () => ({ at: 0, seq: -1 }),
          firstStepMs: () => latest.current.trace.firstStepMs,
        },
      }),
    [],
  );

  const picker = (
    <label class={styles.open}>
      <input
        type="file"
        accept=".jsonl,.json,.ndjson,.txt,application/json"
        class="visually-hidden"
        data-testid="trace-file"
        onChange={(e) => {
          const input = e.currentTarget;
          const file = input.files?.[0];
          input.value = '';
          if (file !== undefined) choose(file);
        }}
      />
      <span class={styles.button}>{opener === null ? 'Open a trace file…' : 'Open another trace file…'}</span>
    </label>
  );

  const notices: string[] = [];
  if (opener === null && startStep !== null && fileId === null) {
    notices.push(
      `Pick ${askedName === null ? 'the trace file' : `“${askedName}”`} again to go back to step ${stepNumber(startStep + 1)}: after a reload, a browser does not let a page open a file by itself.`,
    );
  }
  if (fileId !== null && api === null && picked === null) {
    notices.push('This address names a trace file that sockstep view handed to the Sockstep app, but this page was not served by the app. Open the address sockstep view printed, or pick the file.');
  }
  const size = trace.size;
  const large = size !== null && size > LARGE_FILE_BYTES;
  // Which steps the page holds, once that is not simply all of them.
  const whole = trace.status === 'done' && run.steps.firstStep === 0;
  const held = count === 0 || whole ? '' : `holding steps ${stepNumber(run.steps.firstStep + 1)}–${stepNumber(run.runSteps)}`;
  const readShare = size === null || size === 0 ? '' : `, ${Math.min(100, Math.floor((trace.bytes / size) * 100))}% read`;

  return (
    <div class={`${styles.page} ${dragging ? styles.dragging : ''}`} data-testid="trace-page">
      <PageHeader
        root={root}
        kicker={run.steps.records[0]?.type === 'run' ? `A saved trace · ${run.steps.records[0].transport === 'sim' ? 'simulated network' : 'recorded on real sockets'}` : 'A saved trace'}
        title={opener === null ? 'Open a trace file' : trace.name === '' ? 'Opening the trace…' : `“${trace.name}”`}
        notices={notices}
      >
        <div class={styles.controls}>
          {picker}
          <span class={styles.hint}>or drop one on this page. Traces come from sockstep run … --trace FILE, sockstep tap, or the live page’s download.</span>
        </div>
        {opener !== null && trace.name !== '' && (
          <p class={styles.info} data-testid="trace-info">
            {size === null ? '' : `${sizeText(size)}${readShare}; `}
            {trace.status === 'done' ? `${stepNumber(run.runSteps)} steps${whole ? '' : ', '}` : trace.status === 'reading' ? 'reading… ' : ''}
            {held}
            {trace.status === 'paused' && (
              <>
                {' '}
                <button type="button" class={styles.button} onClick={trace.readOn} data-testid="read-on">
                  Read on: the next steps
                </button>
              </>
            )}
            {run.steps.firstStep > 0 && (
              <>
                {' '}
                <button type="button" class={styles.button} onClick={trace.restart} data-testid="read-from-start">
                  Back to the first step
                </button>
              </>
            )}
          </p>
        )}
        {large && (
          <p class={styles.note} data-testid="large-file-note">
            This file is {sizeText(size!)}: the page reads it as you go, {stepNumber(trace.windowSteps)} steps at a time, so it never holds the whole of it.
            {trace.status === 'paused' && ' “Read on” brings the next steps; the oldest ones are let go.'}
          </p>
        )}
        {trace.problem !== null && (
          <p class={styles.problem} role="alert" data-testid="trace-problem" data-kind={trace.problemKind ?? ''}>
            {trace.problem}
          </p>
        )}
      </PageHeader>

      {opener === null ? (
        <div class={styles.drop} data-testid="drop-zone">
          <p>Drop a trace file here, or use “Open a trace file…” above.</p>
          <p class={styles.hint}>
            Record one with <code>npx sockstep run server1 --port 0 --trace run.jsonl</code>, or open one from a terminal with{' '}
            <code>npx sockstep view run.jsonl</code>.
          </p>
        </div>
      ) : (
        (count > 0 || trace.problem === null) && (
          <RunView
            run={run}
            version={trace.version}
            step={trace.step}
            onStep={trace.setStep}
            playback={playback}
            scripts={scripts}
            lesson={null}
            barExtra={<TraceTools records={() => run.steps.records} title={trace.name.replace(/\.[^.]*$/, '')} partial={run.steps.firstStep > 0 || trace.status === 'paused'} />}
            end={trace.status === 'done' ? (summary, compact) => <RunEnd summary={summary} root={root} compact={compact} /> : undefined}
            empty={trace.status === 'opening' || trace.status === 'reading' ? 'Reading the trace…' : 'This trace has no steps: nothing ran.'}
          />
        )
      )}
      {dragging && (
        <div class={styles.overlay} aria-hidden="true">
          Drop the trace file to open it
        </div>
      )}
    </div>
  );
}
