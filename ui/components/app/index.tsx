/**
 * The app: run lesson 1 on the simulated network in this browser, then show
 * its trace. `?seed=N` picks the simulated network's seed (default 1).
 */
import { useLayoutEffect, useMemo } from 'preact/hooks';
import { greetingPage } from '../../lib/lessons.ts';
import { seedFromSearch } from '../../lib/seed.ts';
import { useLessonRun } from '../../lib/use-lesson-run.ts';
import { LessonPage } from '../lesson-page/index.tsx';
import styles from './style.module.css';

export function App() {
  const { seed, search, notice } = useMemo(() => seedFromSearch(location.search), []);
  // The URL names the seed actually run (before the lesson page starts writing ?step= into it).
  useLayoutEffect(() => {
    if (search !== null) history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
  }, [search]);
  const [run, setRecords] = useLessonRun(greetingPage, seed);
  if (run.status === 'running') {
    return (
      <p class={styles.status} data-testid="app-status">
        Running the lesson on the simulated network…
      </p>
    );
  }
  if (run.status === 'failed') {
    return (
      <div class={styles.status} role="alert" data-testid="app-status">
        <p>The lesson could not run in your browser.</p>
        <pre>{run.message}</pre>
        <p>Reload the page to try again; if it keeps failing, please report it with the message above.</p>
      </div>
    );
  }
  return <LessonPage lesson={greetingPage} records={run.records} onRecords={setRecords} notice={notice} />;
}
