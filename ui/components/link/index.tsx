/**
 * A link to another page of the app: a real `<a href>` (it opens in a new
 * tab, can be copied, works without the script), which the app follows
 * itself with the history API on a plain click.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { isPlainClick, type Navigate } from '../../lib/use-location.ts';

export const NavigateContext = createContext<Navigate | null>(null);

export interface LinkProps {
  href: string;
  class?: string;
  children: ComponentChildren;
  'aria-label'?: string;
  'data-testid'?: string;
  rel?: string;
}

export function Link({ href, children, ...rest }: LinkProps) {
  const navigate = useContext(NavigateContext);
  return (
    <a
      href={href}
      {...rest}
      onClick={(e) => {
        if (navigate === null || !isPlainClick(e)) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
