/**
 * The lesson's Markdown text, rendered from the tree that `lib/markdown.ts`
 * builds: elements only, never HTML parsed from the lesson. It sits in a
 * panel that scrolls on its own beside the run; when more text is below
 * (or above) the visible part, a shadow and a "More below" button say so.
 */
import type { ComponentChildren } from 'preact';
import { memo } from '../../lib/memo.ts';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { lessonBlocks, type Block, type Inline } from '../../lib/markdown.ts';
import styles from './style.module.css';

function Inlines({ nodes }: { nodes: Inline[] }) {
  return (
    <>
      {nodes.map((node, i) => {
        switch (node.type) {
          case 'text':
            return node.text;
          case 'code':
            return <code key={i}>{node.text}</code>;
          case 'strong':
            return (
              <strong key={i}>
                <Inlines nodes={node.children} />
              </strong>
            );
          case 'em':
            return (
              <em key={i}>
                <Inlines nodes={node.children} />
              </em>
            );
          case 'link':
            return (
              <a key={i} href={node.href} rel="noopener noreferrer" target={/^https?:/.test(node.href) ? '_blank' : undefined}>
                <Inlines nodes={node.children} />
              </a>
            );
        }
      })}
    </>
  );
}

function BlockView({ block, level }: { block: Block; level: number }) {
  switch (block.type) {
    case 'heading': {
      const Tag = `h${level}` as 'h3';
      return (
        <Tag>
          <Inlines nodes={block.children} />
        </Tag>
      );
    }
    case 'paragraph':
      return (
        <p>
          <Inlines nodes={block.children} />
        </p>
      );
    case 'quote':
      return (
        <blockquote>
          <Inlines nodes={block.children} />
        </blockquote>
      );
    case 'code':
      return (
        <pre data-lang={block.lang || undefined}>
          <code>{block.text}</code>
        </pre>
      );
    case 'list': {
      const items = block.items.map((item, i) => (
        <li key={i}>
          <Inlines nodes={item} />
        </li>
      ));
      return block.ordered ? <ol start={block.start}>{items}</ol> : <ul>{items}</ul>;
    }
  }
}


/** Memoised: the text does not change from step to step, so stepping never re-renders it. */
export const LessonText = memo(function LessonText({ markdown, parentLevel = 2 }: { markdown: string; parentLevel?: number }) {
  const blocks = useMemo(() => lessonBlocks(markdown, parentLevel), [markdown, parentLevel]);
  return (
    <article class={styles.text} data-testid="lesson-text">
      {blocks.map(({ block, level }, i) => (
        <BlockView key={i} block={block} level={level} />
      ))}
    </article>
  );
});

/** How far a press of "More below" scrolls: most of a screenful, keeping a line or two for context. */
const PAGE_FRACTION = 0.8;

/**
 * A panel that scrolls on its own, saying when there is more above or
 * below: a shadow at that edge, and a "More below" button at the bottom.
 */
export function ScrollPanel({ children, label, class: className }: { children: ComponentChildren; label: string; class?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [edges, setEdges] = useState({ above: false, below: false });
  useLayoutEffect(() => {
    const el = box.current;
    if (el === null) return;
    const update = () => {
      const above = el.scrollTop > 2;
      const below = el.scrollTop + el.clientHeight < el.scrollHeight - 2;
      setEdges((old) => (old.above === above && old.below === below ? old : { above, below }));
    };
    update();
    el.addEventListener('scroll', update, { passive: true });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
    observer?.observe(el);
    if (el.firstElementChild !== null) observer?.observe(el.firstElementChild);
    return () => {
      el.removeEventListener('scroll', update);
      observer?.disconnect();
    };
  }, []);
  return (
    <div class={`${styles.panel} ${className ?? ''} ${edges.above ? styles.moreAbove : ''} ${edges.below ? styles.moreBelow : ''}`}>
      <div class={styles.scroll} ref={box} tabIndex={0} role="region" aria-label={label} data-testid="lesson-scroll">
        {children}
      </div>
      {edges.below && (
        <button
          type="button"
          class={styles.moreButton}
          data-testid="lesson-more"
          onClick={() => box.current?.scrollBy({ top: box.current.clientHeight * PAGE_FRACTION, behavior: 'smooth' })}
        >
          More below ↓
        </button>
      )}
    </div>
  );
}
