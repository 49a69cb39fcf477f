/**
 * A lesson's Python script with line numbers, the line of the shown
 * actor's latest call highlighted and kept in view inside the code box.
 */
import { memo } from '../../lib/memo.ts';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { Role } from '../../../runtime/trace/records.ts';
import styles from './style.module.css';

export interface ScriptViewProps {
  name: string;
  source: string;
  role: Role;
  /** 1-based line to highlight, or null. */
  line: number | null;
  /** The actor whose call that line made, named in the header when several actors share the script. */
  actor: string | null;
}

/** One line; memoised so that a step re-renders only the line that stops and the one that starts being current. */
const Line = memo(function Line({ number, text, current }: { number: number; text: string; current: boolean }) {
  return (
    <span class={`${styles.line} ${current ? styles.current : ''}`} data-line={number} aria-current={current ? 'step' : undefined}>
      <span class={styles.number}>{number}</span>
      <code class={text.trimStart().startsWith('#') ? styles.comment : undefined}>{text === '' ? ' ' : text}</code>
    </span>
  );
});

/** Lines of margin kept above and below the highlighted line when scrolling to it. */
const MARGIN_LINES = 2;

/**
 * Scroll `box` (only the box: scrollIntoView would move the whole page too)
 * so that `target` is inside its visible area with a little margin. Measured
 * with bounding boxes, so that it does not depend on which ancestor is the
 * offset parent.
 */
export function keepInView(box: HTMLElement, target: HTMLElement, smooth: boolean): void {
  const boxRect = box.getBoundingClientRect();
  const rect = target.getBoundingClientRect();
  const margin = Math.min(rect.height * MARGIN_LINES, box.clientHeight / 4);
  const top = rect.top - boxRect.top - box.clientTop;
  const bottom = top + rect.height;
  if (top >= margin && bottom <= box.clientHeight - margin) return;
  const centred = box.scrollTop + top - (box.clientHeight - rect.height) / 2;
  box.scrollTo({ top: Math.max(0, centred), behavior: smooth ? 'smooth' : 'auto' });
}

export function ScriptView({ name, source, role, line, actor }: ScriptViewProps) {
  const lines = useMemo(() => source.replace(/\n$/, '').split('\n'), [source]);
  const box = useRef<HTMLPreElement>(null);

  // After the step is painted (useEffect, not useLayoutEffect): measuring the line while the step
  // renders would make the browser lay the whole page out a second time in that frame.
  useEffect(() => {
    const el = box.current;
    if (el === null || line === null) return;
    const target = el.querySelector<HTMLElement>(`[data-line="${line}"]`);
    const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (target !== null) keepInView(el, target, smooth);
  }, [line]);

  return (
    <section class={`${styles.script} ${styles[role]}`} aria-label={`${name}, the Python version`} data-testid={`script-${name}`}>
      <header class={styles.name}>
        <span>{name}</span>
        <span class={styles.lineNo} data-testid={`script-line-${name}`}>
          {line === null ? 'no call yet' : `line ${line}${actor === null ? '' : ` · ${actor}`}`}
        </span>
      </header>
      <pre class={styles.code} ref={box} tabIndex={0} aria-label={`${name} source`}>
        {lines.map((text, i) => (
          <Line key={i} number={i + 1} text={text} current={i + 1 === line} />
        ))}
      </pre>
    </section>
  );
}
