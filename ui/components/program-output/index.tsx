/**
 * What each program printed up to the current step (its `print` records:
 * what the Python script would print), one console per program (a server's
 * sessions print into the server's console, each line tagged with the
 * session, as threads print to their process's terminal), and at the last
 * step, how the run ended and where to go next.
 */
import type { ComponentChildren } from 'preact';
import { memo } from '../../lib/memo.ts';
import type { Role } from '../../../runtime/trace/records.ts';
import { lessonHref } from '../../lib/routes.ts';
import type { CatalogLesson } from '../../lib/catalog.ts';
import { toneClass } from '../../lib/tone.ts';
import { summaryText, type RunSummary } from '../../trace/run-summary.ts';
import type { ProgramPrints } from '../../trace/program-prints.ts';
import { countUpTo, type StepModel } from '../../trace/steps.ts';

export { programsWithOutput, type ProgramPrints } from '../../trace/program-prints.ts';
import { Link } from '../link/index.tsx';
import styles from './style.module.css';

/** Lines shown per console: the latest ones. */
export const OUTPUT_LINES = 12;
/** Consoles shown at most: the programs that printed most recently. */
export const OUTPUT_CONSOLES = 8;

export interface ProgramOutputProps {
  model: StepModel;
  step: number;
  roles: ReadonlyMap<string, Role>;
  /** The programs that print anything in the run (see `programsWithOutput`). */
  programs: ProgramPrints[];
}

export const ProgramOutput = memo(function ProgramOutput({ model, step, roles, programs }: ProgramOutputProps) {
  if (programs.length === 0) {
    return <p class={styles.none}>The programs of this run print nothing.</p>;
  }
  const upTo = model.recordOf[step]!;
  const shown = latestPrinters(programs, upTo).sort((a, b) => programs.indexOf(a.entry) - programs.indexOf(b.entry));
  return (
    <div class={styles.consoles}>
      {shown.map(({ entry, n }) => {
        const { program } = entry;
        const lines = [];
        for (let k = Math.max(0, n - OUTPUT_LINES); k < n; k++) {
          const index = entry.prints[k]!;
          const r = model.records[index] as { text?: unknown; actor?: string };
          const who = r.actor !== undefined && r.actor !== program.actor ? r.actor : null;
          lines.push(
            <span key={index} class={`${styles.printed} ${index === upTo ? styles.now : ''}`}>
              {who !== null && <span class={`${styles.child} ${toneClass(roles.get(who) ?? 'session')}`}>{who} </span>}
              {String(r.text ?? '')}
            </span>,
          );
        }
        return (
          <section
            key={program.actor}
            class={`${styles.console} ${toneClass(roles.get(program.actor) ?? 'client')}`}
            aria-label={`What ${program.actor} printed`}
            data-testid={`output-${program.actor}`}
          >
            <header class={styles.who}>{program.actor}</header>
            <Screen>{n === 0 ? <span class={styles.nothing}>nothing printed yet</span> : lines}</Screen>
          </section>
        );
      })}
    </div>
  );
});

/**
 * A console's screen, kept scrolled to its last line as a terminal is. By
 * CSS, not by setting scrollTop: its lines sit in one box at the end of a
 * column-reverse flex container, whose scroll position starts (and stays)
 * at the end. Reading scrollHeight after each step would make the browser
 * lay the page out again, many times a second while a live run streams.
 */
function Screen({ children }: { children: ComponentChildren }) {
  return (
    <pre class={styles.screen} tabIndex={0}>
      <span class={styles.lines}>{children}</span>
    </pre>
  );
}

/**
 * The consoles to show: every program when there are few, else the ones
 * that printed most recently (a long run has thousands of clients). One
 * pass, keeping the best few, so a step costs the same in a long run.
 */
function latestPrinters(programs: ProgramPrints[], upTo: number): { entry: ProgramPrints; n: number; last: number }[] {
  const all = programs.length <= OUTPUT_CONSOLES;
  const best: { entry: ProgramPrints; n: number; last: number }[] = [];
  for (const entry of programs) {
    if (!all && entry.prints[0]! > upTo) continue;
    const n = countUpTo(entry.prints, upTo);
    const last = n > 0 ? entry.prints[n - 1]! : -1;
    if (all) {
      best.push({ entry, n, last });
      continue;
    }
    if (best.length === OUTPUT_CONSOLES && last <= best[best.length - 1]!.last) continue;
    best.push({ entry, n, last });
    best.sort((a, b) => b.last - a.last);
    if (best.length > OUTPUT_CONSOLES) best.pop();
  }
  return best;
}

export interface RunEndProps {
  summary: RunSummary;
  /** The next lesson (null after the last lesson); undefined on a page that is no lesson: no link then. */
  next?: CatalogLesson | null;
  root: string;
  /** What ended the run, when there is more to say than the outcomes (a live run stopped from the page). */
  why?: string;
  /** Shown in the sticky bar: one short line. */
  compact?: boolean;
}

/** How the run ended, and a link to the next lesson (or back to the index after the last). */
export function RunEnd({ summary, next, root, why, compact = false }: RunEndProps) {
  const [outcomes, totals] = summaryText(summary);
  const link =
    next === undefined ? null : next === null ? (
      <Link href={root}>This was the last lesson: back to all lessons</Link>
    ) : (
      <Link href={lessonHref(root, next.id)} data-testid="next-lesson">
        Next: Lesson {next.number}, {next.meta.title} →
      </Link>
    );
  if (compact) {
    return (
      <p class={styles.compact} data-testid="run-end-bar">
        <strong>End of the run.</strong> {why !== undefined && `${why} `}
        {outcomes} {link}
      </p>
    );
  }
  return (
    <div class={styles.summary} data-testid="run-summary">
      <h3 class={styles.summaryTitle}>End of the run</h3>
      {why !== undefined && <p>{why}</p>}
      <p>{outcomes}</p>
      <p>{totals}</p>
      {link !== null && <p>{link}</p>}
    </div>
  );
}
