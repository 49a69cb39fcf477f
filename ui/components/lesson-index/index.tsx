/**
 * The lesson index: every lesson of the registry in course order, with its
 * number, title and summary, each a link to its page.
 */
import type { CatalogLesson } from '../../lib/catalog.ts';
import { lessonHref, liveHref, traceHref } from '../../lib/routes.ts';
import { Link } from '../link/index.tsx';
import styles from './style.module.css';

export function LessonIndex({ catalog, root }: { catalog: CatalogLesson[]; root: string }) {
  return (
    <div class={styles.page} data-testid="lesson-index">
      <header class={styles.head}>
        <p class={styles.brand}>
          <span class={styles.logo} aria-hidden="true">
            ⇄
          </span>
          Sockstep
        </p>
        <h1 class={styles.title}>Socket programming, one step at a time</h1>
        <p class={styles.lead}>
          Each lesson runs two or more programs on a simulated network, right here in your browser. Step through what they
          do: their statecharts, the Python each one stands for, the calls between them and every byte on the wire.
        </p>
      </header>
      <main>
        <h2 class={styles.listTitle}>Lessons</h2>
        <ol class={styles.list}>
          {catalog.map((lesson) => (
            <li key={lesson.id} class={styles.item} data-testid="lesson-link">
              <Link class={styles.link} href={lessonHref(root, lesson.id)}>
                <span class={styles.number}>Lesson {lesson.number}</span>
                <span class={styles.name}>{lesson.meta.title}</span>
                <span class={styles.summary}>{lesson.meta.summary}</span>
              </Link>
              {/* Front-matter mistakes are for the lesson's author: shown by `vite` (development), not to learners. */}
              {import.meta.env.DEV && lesson.problems.length > 0 && (
                <p class={styles.problems} data-testid="lesson-problems">
                  For the lesson’s author: {lesson.problems.join('; ')}.
                </p>
              )}
            </li>
          ))}
        </ol>
        <h2 class={styles.listTitle}>Real runs</h2>
        <ul class={styles.list}>
          <li class={styles.item}>
            <Link class={styles.link} href={liveHref(root)} data-testid="live-link">
              <span class={styles.name}>Live runs</span>
              <span class={styles.summary}>
                Start a lesson machine on a real port and watch it as it happens, with your own programs talking to it (needs the app:
                npx sockstep start, or sockstep run … --inspect).
              </span>
            </Link>
          </li>
          <li class={styles.item}>
            <Link class={styles.link} href={traceHref(root)} data-testid="trace-link">
              <span class={styles.name}>Open a trace file</span>
              <span class={styles.summary}>Step through a run recorded with sockstep run … --trace FILE or sockstep tap.</span>
            </Link>
          </li>
        </ul>
      </main>
    </div>
  );
}
