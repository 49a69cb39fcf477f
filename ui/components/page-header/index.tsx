/**
 * The top of every page but the index: a way back to all lessons, a small
 * kicker line (what kind of page this is), the title, whatever settings the
 * page has, and notices about how the page was opened.
 */
import type { ComponentChildren } from 'preact';
import { Link } from '../link/index.tsx';
import styles from './style.module.css';

export interface PageHeaderProps {
  root: string;
  kicker: ComponentChildren;
  title: ComponentChildren;
  children?: ComponentChildren;
  notices?: readonly string[];
}

export function PageHeader({ root, kicker, title, children, notices = [] }: PageHeaderProps) {
  return (
    <header class={styles.top}>
      <Link class={styles.brand} href={root} aria-label="Sockstep: all lessons">
        <span class={styles.logo} aria-hidden="true">
          ⇄
        </span>
        <span>All lessons</span>
      </Link>
      <div class={styles.heading}>
        <p class={styles.kicker}>{kicker}</p>
        <h1 class={styles.title}>{title}</h1>
        {children}
        {notices.map((notice) => (
          <p key={notice} class={styles.notice} role="status" data-testid="page-notice">
            {notice}
          </p>
        ))}
      </div>
    </header>
  );
}
