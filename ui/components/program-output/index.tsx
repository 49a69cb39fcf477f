/**
 * What each program printed up to the current step (its `print` records:
 * what the Python script would print), one console per actor, and at the
 * last step, how the run ended and where to go next.
 */
import { memo } from '../../lib/memo.ts';
import type { Role } from '../../../runtime/trace/records.ts';
import { lessonHref } from '../../lib/routes.ts';
import type { CatalogLesson } from '../../lib/catalog.ts';
import { summaryText, type RunSummary } from '../../trace/run-summary.ts';
import { countUpTo, type ActorInfo, type StepModel } from '../../trace/steps.ts';
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
  /** Actors that print anything in the run. */
  printers: ActorInfo[];
}

export const ProgramOutput = memo(function ProgramOutput({ model, step, roles, printers }: ProgramOutputProps) {
  if (printers.length === 0) {
    return <p class={styles.none}>The programs of this run print nothing.</p>;
  }
  const upTo = model.recordOf[step]!;
  const shown = latestPrinters(printers, upTo).sort((a, b) => a.info.first - b.info.first);
  return (
    <div class={styles.consoles}>
      {shown.map(({ info, n }) => {
        const lines = [];
        for (let k = Math.max(0, n - OUTPUT_LINES); k < n; k++) {
          const index = info.prints[k]!;
          const r = model.records[index] as { text?: unknown };
          lines.push(
            <span key={index} class={`${styles.printed} ${index === upTo ? styles.now : ''}`}>
              {String(r.text ?? '')}
            </span>,
          );
        }
        return (
          <section key={info.actor} class={`${styles.console} ${styles[roles.get(info.actor) ?? 'client']}`} aria-label={`What ${info.actor} printed`} data-testid={`output-${info.actor}`}>
            <header class={styles.who}>{info.actor}</header>
            <pre class={styles.screen}>{n === 0 ? <span class={styles.nothing}>nothing printed yet</span> : lines}</pre>
          </section>
        );
      })}
    </div>
  );
});

/**
 * The consoles to show: every printer when there are few, else the ones that
 * printed most recently (a long run has thousands of clients). One pass,
 * keeping the best few, so a step costs the same in a long run.
 */
function latestPrinters(printers: ActorInfo[], upTo: number): { info: ActorInfo; n: number; last: number }[] {
  const all = printers.length <= OUTPUT_CONSOLES;
  const best: { info: ActorInfo; n: number; last: number }[] = [];
  for (const info of printers) {
    if (!all && info.prints[0]! > upTo) continue;
    const n = countUpTo(info.prints, upTo);
    const last = n > 0 ? info.prints[n - 1]! : -1;
    if (all) {
      best.push({ info, n, last });
      continue;
    }
    if (best.length === OUTPUT_CONSOLES && last <= best[best.length - 1]!.last) continue;
    best.push({ info, n, last });
    best.sort((a, b) => b.last - a.last);
    if (best.length > OUTPUT_CONSOLES) best.pop();
  }
  return best;
}

export interface RunEndProps {
  summary: RunSummary;
  next: CatalogLesson | null;
  root: string;
  /** Shown in the sticky bar: one short line. */
  compact?: boolean;
}

/** How the run ended, and a link to the next lesson (or back to the index after the last). */
export function RunEnd({ summary, next, root, compact = false }: RunEndProps) {
  const [outcomes, totals] = summaryText(summary);
  const link =
    next === null ? (
      <Link href={root}>This was the last lesson: back to all lessons</Link>
    ) : (
      <Link href={lessonHref(root, next.id)} data-testid="next-lesson">
        Next: Lesson {next.number}, {next.meta.title} →
      </Link>
    );
  if (compact) {
    return (
      <p class={styles.compact} data-testid="run-end-bar">
        <strong>End of the run.</strong> {outcomes} {link}
      </p>
    );
  }
  return (
    <div class={styles.summary} data-testid="run-summary">
      <h3 class={styles.summaryTitle}>End of the run</h3>
      <p>{outcomes}</p>
      <p>{totals}</p>
      <p>{link}</p>
    </div>
  );
}
