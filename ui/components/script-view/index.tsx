/**
 * A lesson's Python script with line numbers, the line of the actor's
 * latest socket call highlighted and scrolled into view inside the box.
 */
import { memo } from 'preact/compat';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import styles from './style.module.css';

export interface ScriptViewProps {
  name: string;
  source: string;
  role: 'server' | 'client';
  /** 1-based line to highlight, or null. */
  line: number | null;
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

export function ScriptView({ name, source, role, line }: ScriptViewProps) {
  const lines = useMemo(() => source.replace(/\n$/, '').split('\n'), [source]);
  const box = useRef<HTMLPreElement>(null);

  useEffect(() => {
    const el = box.current;
    if (el === null || line === null) return;
    const target = el.querySelector<HTMLElement>(`[data-line="${line}"]`);
    if (target === null) return;
    // Scroll the box only (scrollIntoView would scroll the whole page too).
    const top = target.offsetTop - el.clientHeight / 2 + target.offsetHeight / 2;
    el.scrollTo({ top: Math.max(0, top), behavior: 'smooth' });
  }, [line]);

  return (
    <section class={`${styles.script} ${styles[role]}`} aria-label={`${name}, the Python version`} data-testid={`script-${name}`}>
      <header class={styles.name}>
        <span>{name}</span>
        {line !== null && <span class={styles.lineNo}>line {line}</span>}
      </header>
      <pre class={styles.code} ref={box} tabIndex={0}>
        {lines.map((text, i) => (
          <Line key={i} number={i + 1} text={text} current={i + 1 === line} />
        ))}
      </pre>
    </section>
  );
}
