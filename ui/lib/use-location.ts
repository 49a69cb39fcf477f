/**
 * The page's address as state: links inside the page change it with the
 * history API (pushState), so they open at once and the back and forward
 * buttons work; popstate brings the page back to the address.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { parseLocation, type PageLocation } from './routes.ts';

export interface Here extends PageLocation {
  search: string;
  /** Grows with every navigation: a page keyed by it starts afresh, reading its step from the address. */
  visit: number;
}

export type Navigate = (href: string, options?: { replace?: boolean; keepScroll?: boolean }) => void;

function read(visit: number): Here {
  return { ...parseLocation(location.pathname), search: location.search, visit };
}

export function useLocation(): [Here, Navigate] {
  const [here, setHere] = useState(() => read(0));
  useEffect(() => {
    const onPop = () => setHere((h) => read(h.visit + 1));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback<Navigate>((href, options = {}) => {
    const url = new URL(href, location.href);
    if (url.origin !== location.origin) {
      location.assign(url.href);
      return;
    }
    if (options.replace) history.replaceState(null, '', url.href);
    else history.pushState(null, '', url.href);
    if (options.keepScroll !== true) window.scrollTo({ top: 0 });
    setHere((h) => read(h.visit + 1));
  }, []);
  return [here, navigate];
}

/**
 * A click that the page should handle itself: a plain left click on a link
 * to this site, without a modifier that asks for a new tab or window.
 */
export function isPlainClick(e: MouseEvent): boolean {
  return e.button === 0 && !e.defaultPrevented && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey;
}
