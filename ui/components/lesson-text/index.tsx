/**
 * The lesson's Markdown text, rendered from the tree that `lib/markdown.ts`
 * builds: elements only, never HTML parsed from the lesson.
 */
import { memo } from 'preact/compat';
import { useMemo } from 'preact/hooks';
import { parseMarkdown, type Block, type Inline } from '../../lib/markdown.ts';
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

function BlockView({ block }: { block: Block }) {
  switch (block.type) {
    case 'heading': {
      // The page has its own h1; the lesson's headings sit one level below it.
      const Tag = `h${Math.min(6, block.level + 1)}` as 'h2';
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
export const LessonText = memo(function LessonText({ markdown }: { markdown: string }) {
  const blocks = useMemo(() => parseMarkdown(markdown), [markdown]);
  // The first heading is the lesson's title, which the page header already shows.
  const body = blocks[0]?.type === 'heading' && blocks[0].level === 1 ? blocks.slice(1) : blocks;
  return (
    <article class={styles.text} data-testid="lesson-text">
      {body.map((block, i) => (
        <BlockView key={i} block={block} />
      ))}
    </article>
  );
});
