/**
 * A lesson's Python script with line numbers, the line of the shown
 * actor's latest call highlighted and kept in view inside the code box.
 */
import { memo } from '../../lib/memo.ts';
import { useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import { cancelFrameTask, inNextFrame } from '../../lib/frame-tasks.ts';
import { toneClass } from '../../lib/tone.ts';
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

/** Lines drawn in blocks of this many, each memoised: a step that moves the highlight re-renders the block it leaves and the one it enters, not a component per line of the script. */
const BLOCK_LINES = 24;

const Block = memo(function Block({ lines, first, current }: { lines: readonly string[]; first: number; current: number | null }) {
  return (
    <>
      {lines.map((text, i) => (
        <Line key={i} number={first + i + 1} text={text} current={first + i + 1 === current} />
      ))}
    </>
  );
});

/** Lines of margin kept above and below the highlighted line when scrolling to it. */
const MARGIN_LINES = 2;

/** Whether the learner asked for less motion: asked once, then followed as it changes. */
const motionQuery = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null;
const reducedMotion = () => motionQuery?.matches === true;

/** Where the highlighted line is in its box, read at once (the reads together, before any write). */
interface LinePlace {
  /** The line's top and height, from the top of the box's scrolled content. */
  top: number;
  height: number;
  /** The box: its inner height and how far it is scrolled. */
  clientHeight: number;
  scrollTop: number;
}

/** Measure where `target` sits inside `box` (bounding boxes, so that it does not depend on which ancestor is the offset parent). */
export function linePlace(box: HTMLElement, target: HTMLElement): LinePlace {
  const boxRect = box.getBoundingClientRect();
  const rect = target.getBoundingClientRect();
  return { top: rect.top - boxRect.top - box.clientTop + box.scrollTop, height: rect.height, clientHeight: box.clientHeight, scrollTop: box.scrollTop };
}

/**
 * Scroll `box` (only the box: scrollIntoView would move the whole page too)
 * so that the line measured is inside its visible area with a little
 * margin. Only writes: the place was read before (see lib/frame-tasks.ts).
 */
export function keepInView(box: HTMLElement, place: LinePlace, smooth: boolean): void {
  const { height, clientHeight, scrollTop } = place;
  const margin = Math.min(height * MARGIN_LINES, clientHeight / 4);
  const top = place.top - scrollTop;
  const bottom = top + height;
  if (top >= margin && bottom <= clientHeight - margin) return;
  const centred = scrollTop + top - (clientHeight - height) / 2;
  box.scrollTo({ top: Math.max(0, centred), behavior: smooth ? 'smooth' : 'auto' });
}

/** Memoised: a step that moves no highlight renders nothing here. */
export const ScriptView = memo(function ScriptView({ name, source, role, line, actor }: ScriptViewProps) {
  const blocks = useMemo(() => {
    const lines = source.replace(/\n$/, '').split('\n');
    const out: string[][] = [];
    for (let i = 0; i < lines.length; i += BLOCK_LINES) out.push(lines.slice(i, i + BLOCK_LINES));
    return out;
  }, [source]);
  const box = useRef<HTMLPreElement>(null);

  // Measured and scrolled at the next frame (lib/frame-tasks.ts), never while a step renders: that
  // would make the browser lay the whole page out a second time in that frame.
  useLayoutEffect(() => {
    if (line === null) return;
    inNextFrame(
      box,
      () => {
        const el = box.current;
        const target = el?.querySelector<HTMLElement>(`[data-line="${line}"]`) ?? null;
        return el === null || target === null ? null : { el, place: linePlace(el, target) };
      },
      (found) => {
        if (found !== null) keepInView(found.el, found.place, !reducedMotion());
      },
    );
  }, [line]);
  useLayoutEffect(() => () => cancelFrameTask(box), []);

  return (
    <section class={`${styles.script} ${toneClass(role)}`} aria-label={`${name}, the Python version`} data-testid={`script-${name}`}>
      <header class={styles.name}>
        <span>{name}</span>
        <span class={styles.lineNo} data-testid={`script-line-${name}`}>
          {line === null ? 'no call yet' : `line ${line}${actor === null ? '' : ` · ${actor}`}`}
        </span>
      </header>
      <pre class={styles.code} ref={box} tabIndex={0} aria-label={`${name} source`}>
        {blocks.map((block, b) => {
          const first = b * BLOCK_LINES;
          const inside = line !== null && line > first && line <= first + block.length;
          return <Block key={b} lines={block} first={first} current={inside ? line : null} />;
        })}
      </pre>
    </section>
  );
});
