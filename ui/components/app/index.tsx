/**
 * The app: the lesson index at the build's root, a page per lesson at
 * `lessons/<id>/`, live runs at `live/` and a saved trace at `trace/`. The
 * address is the state (see lib/routes.ts): links and the back button
 * move between pages without reloading.
 */
import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import type { CatalogLesson } from '../../lib/catalog.ts';
import { nextLesson } from '../../lib/catalog.ts';
import { loadScripts } from '../../lib/lesson-files.ts';
import { handOver } from '../../lib/picked-file.ts';
import { indexHref, lessonHref, scenarioFromSearch, traceHref } from '../../lib/routes.ts';
import { seedFromSearch } from '../../lib/seed.ts';
import { knobsFromSearch, withKnobs } from '../../lib/knob-params.ts';
import type { KnobValues } from '../../../lessons/knobs.ts';
import type { TraceRead } from '../../lib/trace-file.ts';
import { useLessonRuns } from '../../lib/use-lesson-runs.ts';
import { useLocation, type Here, type Navigate } from '../../lib/use-location.ts';
import { ErrorBoundary } from '../error-boundary/index.tsx';
import { LessonIndex } from '../lesson-index/index.tsx';
import { LessonPage, type TraceSource } from '../lesson-page/index.tsx';
import { LivePage } from '../live-page/index.tsx';
import { TracePage } from '../trace-page/index.tsx';
import { Link, NavigateContext } from '../link/index.tsx';
import styles from './style.module.css';

export function App({ catalog }: { catalog: CatalogLesson[] }) {
  const [here, navigate] = useLocation();
  const { route } = here;
  const lesson = route.kind === 'lesson' ? catalog.find((l) => l.id === route.id) : undefined;

  useEffect(() => {
    document.title =
      route.kind === 'live'
        ? 'Sockstep — live runs'
        : route.kind === 'trace'
          ? 'Sockstep — a saved trace'
          : lesson === undefined
            ? 'Sockstep — lessons'
            : `Sockstep — Lesson ${lesson.number}: ${lesson.meta.title}`;
  }, [lesson, route.kind]);

  let page;
  let what = 'This page';
  if (route.kind === 'index') page = <LessonIndex catalog={catalog} root={here.root} />;
  else if (route.kind === 'live') page = <LivePage catalog={catalog} root={here.root} search={here.search} navigate={navigate} />;
  else if (route.kind === 'trace') page = <TracePage root={here.root} search={here.search} navigate={navigate} />;
  else if (lesson === undefined) page = <NoSuchLesson id={route.id} root={here.root} catalog={catalog} />;
  else {
    what = `Lesson ${lesson.number}`;
    page = <LessonRoute key={here.visit} lesson={lesson} catalog={catalog} here={here} navigate={navigate} />;
  }

  return (
    <NavigateContext.Provider value={navigate}>
      <ErrorBoundary what={what}>{page}</ErrorBoundary>
    </NavigateContext.Provider>
  );
}

function NoSuchLesson({ id, root, catalog }: { id: string; root: string; catalog: CatalogLesson[] }) {
  return (
    <div class={styles.status} role="alert" data-testid="app-status">
      <h1>There is no lesson “{id}”</h1>
      <p>
        The lessons are {catalog.map((l) => `“${l.id}”`).join(', ')}. <Link href={indexHref(root)}>See them all</Link>.
      </p>
    </div>
  );
}

interface LessonRouteProps {
  lesson: CatalogLesson;
  catalog: CatalogLesson[];
  here: Here;
  navigate: Navigate;
}

/** One lesson: its scripts, its runs (every scenario, with the seed the address names) and, maybe, a trace file shown instead. */
function LessonRoute({ lesson, catalog, here, navigate }: LessonRouteProps) {
  const { definition } = lesson;
  const seedChoice = useMemo(() => seedFromSearch(here.search), [here.search]);
  const scenarioChoice = useMemo(() => scenarioFromSearch(here.search, definition.scenarios), [here.search, definition]);
  const seed = seedChoice.seed;
  const scenario = scenarioChoice.scenario;
  const knobChoice = useMemo(() => knobsFromSearch(here.search), [here.search]);
  const knobs = knobChoice.values;

  // The address names the seed and the scenario actually shown (before the page starts writing ?step= into it).
  useLayoutEffect(() => {
    const params = new URLSearchParams(here.search);
    let changed = false;
    if (seedChoice.search !== null) {
      params.set('seed', String(seed));
      changed = true;
    }
    if (scenarioChoice.notice !== null) {
      params.set('scenario', scenario);
      changed = true;
    }
    if (changed) history.replaceState(history.state, '', `${location.pathname}?${params.toString()}${location.hash}`);
  }, [here.search]);

  const [scripts, setScripts] = useState<Record<string, string> | null>(null);
  useEffect(() => {
    let live = true;
    loadScripts(definition).then(
      (s) => live && setScripts(s),
      () => live && setScripts({}),
    );
    return () => {
      live = false;
    };
  }, [definition]);

  const runs = useLessonRuns(definition, seed, knobs);
  const [opened, setOpened] = useState<{ read: TraceRead; name: string } | null>(null);

  if (runs.status === 'running' || scripts === null) {
    return (
      <p class={styles.status} data-testid="app-status">
        Running lesson {lesson.number} on the simulated network…
      </p>
    );
  }
  if (runs.status === 'failed') {
    return (
      <div class={styles.status} role="alert" data-testid="app-status">
        <h1>Lesson {lesson.number} could not run in your browser</h1>
        <pre>{runs.message}</pre>
        <p>
          Reload the page to try again, or try another seed; if it keeps failing, please report it with the message above.{' '}
          <Link href={indexHref(here.root)}>All lessons</Link>
        </p>
      </div>
    );
  }

  const href = (params: { seed?: number; scenario?: string; knobs?: KnobValues }) =>
    withKnobs(
      lessonHref(here.root, lesson.id, {
        seed: params.seed ?? seed,
        ...(definition.scenarios.length > 1 || params.scenario !== undefined ? { scenario: params.scenario ?? scenario } : {}),
      }),
      params.knobs ?? knobs,
    );
  const notices = [seedChoice.notice, scenarioChoice.notice, knobChoice.notice].filter((n): n is string => n !== null);
  let source: TraceSource = { kind: 'sim', seed };
  let records = runs.runs.get(scenario) ?? [];
  if (opened !== null && opened.read.ok) {
    source = { kind: 'file', name: opened.name };
    records = opened.read.records;
  } else if (opened !== null && !opened.read.ok) {
    notices.push(opened.read.message);
  }

  return (
    <LessonPage
      lesson={lesson}
      scripts={scripts}
      records={records}
      runs={runs.runs}
      scenario={scenario}
      source={source}
      next={nextLesson(catalog, lesson.id)}
      root={here.root}
      notices={notices}
      onSeed={(next) => navigate(href({ seed: next }))}
      onScenario={(id) => navigate(href({ scenario: id }))}
      knobs={knobs}
      onKnobs={(values) => navigate(href({ knobs: values }))}
      onTrace={(read, name) => setOpened({ read, name })}
      onOpenFile={(file) => {
        handOver(file);
        navigate(traceHref(here.root, {}) + `?${new URLSearchParams({ name: file.name }).toString()}`);
      }}
      onCloseTrace={() => setOpened(null)}
    />
  );
}
