/**
 * Live runs: the app's runs (started here, by `sockstep run … --inspect`
 * or by a tap), a form to start a lesson machine on a real port, and the
 * runs ticked, drawn as they happen: statecharts, sequence diagram, bytes
 * and output fill in as records arrive. Several runs ticked are drawn as
 * one (a server and two clients: their lanes side by side, one line per
 * connection between them).
 *
 * The address names the runs shown (`live/?run=…&run=…`), so a reload
 * opens them again; the page then reads each run from its first record
 * the app still holds, nothing lost and nothing twice.
 */
import { useCallback, useEffect, useMemo, useRef } from 'preact/hooks';
import type { CatalogLesson } from '../../lib/catalog.ts';
import { appToken, type ApiOptions } from '../../lib/api.ts';
import { lessonsOfModel, registryRoles } from '../../lib/machine-entries.ts';
import { liveHref, runsFromSearch } from '../../lib/routes.ts';
import { installHooks } from '../../lib/test-hooks.ts';
import { usePlayback } from '../../lib/use-playback.ts';
import type { Navigate } from '../../lib/use-location.ts';
import { useLiveView, type LiveRunState } from '../../lib/use-live-view.ts';
import { useRunList } from '../../lib/use-run-list.ts';
import { useScripts } from '../../lib/use-scripts.ts';
import { useStepKeys } from '../../lib/use-step-keys.ts';
import { FollowBar } from '../follow-bar/index.tsx';
import { PageHeader } from '../page-header/index.tsx';
import { RunEnd } from '../program-output/index.tsx';
import { RunList } from '../run-list/index.tsx';
import { RunView } from '../run-view/index.tsx';
import { StartForm } from '../start-form/index.tsx';
import { TraceTools } from '../trace-tools/index.tsx';
import styles from './style.module.css';

export interface LivePageProps {
  catalog: readonly CatalogLesson[];
  root: string;
  search: string;
  navigate: Navigate;
}

export function LivePage({ catalog, root, search, navigate }: LivePageProps) {
  const token = useMemo(() => appToken(), []);
  const api = useMemo<ApiOptions | null>(() => (token === null ? null : { base: new URL(root, location.href).href, token }), [root, token]);
  const shown = useMemo(() => runsFromSearch(search), [search]);
  const list = useRunList(api);
  const show = (ids: string[]) => navigate(liveHref(root, ids), { keepScroll: true });
  // Kept the same while the shown runs are: the header is drawn again with every frame of a live run, the form need not be.
  const { refresh } = list;
  const onStarted = useCallback(
    (id: string) => {
      refresh();
      navigate(liveHref(root, [...shown, id]), { keepScroll: true });
    },
    [refresh, navigate, root, shown],
  );

  const header = (live: readonly LiveRunState[]) => (
    <PageHeader root={root} kicker="Live · real sockets on this computer" title="Live runs">
      {api === null ? null : (
        <div class={styles.controls}>
          <RunList api={api} runs={list.runs} problem={list.problem} shown={shown} live={live} onShow={show} onChanged={list.refresh} />
          <StartForm
            api={api}
            catalog={catalog}
            folded={shown.length > 0}
            onStarted={onStarted}
          />
        </div>
      )}
    </PageHeader>
  );

  if (api === null) {
    return (
      <div class={styles.page} data-testid="live-page">
        <PageHeader root={root} kicker="Live · real sockets on this computer" title="Live runs" />
        <div class={styles.message} role="alert" data-testid="live-no-app">
          <p>
            Live runs need the Sockstep app, which runs them on real sockets: this page was served by something else (a plain file
            server, say), so it cannot start or follow runs.
          </p>
          <p>
            Start the app with <code>npx sockstep start</code> and open the address it prints, or run a machine with{' '}
            <code>npx sockstep run server1 --port 0 --inspect</code>, which starts the app and opens this page on the run.
          </p>
        </div>
      </div>
    );
  }

  return (
    <div class={styles.page} data-testid="live-page">
      {shown.length === 0 ? (
        <>
          {header([])}
          <p class={styles.message} data-testid="live-none">
            Tick a run above to watch it, or start a machine. Your own programs can talk to a machine started here: start{' '}
            <code>server1</code> with port 0, read its port in the list, and run <code>python3 client1.py --port PORT</code>.
          </p>
        </>
      ) : (
        <LiveRuns key={shown.join(',')} api={api} ids={shown} header={header} root={root} onShow={show} list={list} />
      )}
    </div>
  );
}

interface LiveRunsProps {
  api: ApiOptions;
  ids: readonly string[];
  header(live: readonly LiveRunState[]): preact.ComponentChildren;
  root: string;
  onShow(ids: string[]): void;
  list: ReturnType<typeof useRunList>;
}

/** The runs shown, followed live. */
function LiveRuns({ api, ids, header, root, onShow, list }: LiveRunsProps) {
  const machineRoles = useMemo(() => registryRoles(), []);
  const view = useLiveView(api, ids, { machineRoles });
  const { feed } = view;
  const run = feed.model;
  const count = run.steps.count;
  const step = feed.step;
  const playback = usePlayback(step, count, view.setStep);
  useStepKeys(step, count, view.setStep, playback.pause);
  const lessons = useMemo(() => lessonsOfModel(run.steps), [run, run.steps.machinesVersion]);
  const scripts = useScripts(lessons);

  const live = useRef({ view, step, count });
  live.current = { view, step, count };
  useEffect(
    () =>
      installHooks({
        step: () => live.current.step,
        count: () => live.current.count,
        setStep: (s) => live.current.view.setStep(s),
        loadTrace: () => {
          throw new Error('a live page shows live runs; open a trace file on the trace page');
        },
        live: {
          first: () => live.current.view.feed.firstStep,
          seqs: () => live.current.view.feed.model.steps.records.map((r) => r.seq),
          received: () => live.current.view.feed.received,
          following: () => live.current.view.feed.following,
          follow: () => live.current.view.follow(),
          lastRender: () => live.current.view.lastRender,
          reconnect: () => live.current.view.reconnect(),
        },
      }),
    [],
  );

  const ended = view.runs.length > 0 && view.runs.every((r) => r.stream.kind === 'ended' || r.stream.kind === 'failed');
  const appDropped = view.runs.reduce((n, r) => n + r.dropped, 0);
  const title = view.runs.map((r) => r.summary?.title ?? r.id).join(' + ');
  const why = endSentence(view.runs);

  return (
    <>
      {header(view.runs)}
      <StreamNotes runs={view.runs} />
      <RunView
        run={run}
        version={view.version}
        step={step}
        onStep={view.setStep}
        playback={playback}
        scripts={scripts}
        lesson={null}
        barExtra={
          <>
            <FollowBar
              following={feed.following}
              behind={feed.behind}
              ended={ended}
              onFollow={view.follow}
              letGoSteps={feed.firstStep}
              appDropped={appDropped}
              heldLetGo={feed.letGo === null ? null : feed.letGo + 1}
              windowSteps={feed.windowSteps}
            />
            <TraceTools records={() => feed.model.steps.records} title={title} partial={feed.firstStep > 0 || appDropped > 0} />
          </>
        }
        end={ended ? (summary, compact) => <RunEnd summary={summary} root={root} compact={compact} {...(why === null ? {} : { why })} /> : undefined}
        empty={ended ? 'This run has no steps: nothing ran before it ended.' : 'Waiting for the run’s first steps…'}
      />
      {ids.some((id) => list.runs !== null && !list.runs.some((r) => r.id === id)) && list.problem === null && (
        <p class={styles.message}>
          <button type="button" onClick={() => onShow(ids.filter((id) => list.runs!.some((r) => r.id === id)))}>
            Stop showing the runs the app no longer has
          </button>
        </p>
      )}
    </>
  );
}

/** Why the shown runs ended, when one was stopped or lost. */
function endSentence(runs: LiveRunState[]): string | null {
  const said = runs.flatMap((r) => {
    const end = r.end ?? r.summary?.end ?? null;
    if (end === null || end.reason === 'finished') return [];
    const name = r.summary?.title ?? r.id;
    const reason = { stopped: 'was stopped', lost: 'was lost', closed: 'ended when the app closed', failed: 'failed' }[end.reason];
    return [`${name} ${reason}${end.message === undefined ? '' : ` (${end.message})`}.`];
  });
  return said.length === 0 ? null : said.join(' ');
}

/** What is wrong with a run's stream, said on the page: a dropped connection being mended, or a run that cannot be followed. */
function StreamNotes({ runs }: { runs: LiveRunState[] }) {
  const notes = runs.flatMap((r) => {
    const name = `“${r.summary?.title ?? r.id}”`;
    if (r.stream.kind === 'retrying') return [{ key: r.id, alert: false, text: `The connection to the app for ${name} dropped; the page is reconnecting and will go on from the last step it has.` }];
    if (r.stream.kind === 'failed') return [{ key: r.id, alert: true, text: `${name} cannot be followed: ${r.stream.message}` }];
    return [];
  });
  if (notes.length === 0) return null;
  return (
    <div class={styles.notes}>
      {notes.map((n) => (
        <p key={n.key} class={n.alert ? styles.alert : styles.note} role={n.alert ? 'alert' : 'status'} data-testid="stream-note">
          {n.text}
        </p>
      ))}
    </div>
  );
}
