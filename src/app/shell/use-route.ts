import { useEffect, useMemo, useState } from 'preact/hooks';
import { formatRoute, parseRoute, type Route } from './routes.ts';

/** Components showing the route, told of a `replace` (which fires no `hashchange`). */
const listeners = new Set<() => void>();

/** The route the page is at now, for code outside a component. */
export function currentRoute(): Route {
  return parseRoute(window.location.hash);
}

export interface NavigateOptions {
  /** Change the address in place, without a history entry (« Retour » skips it): a map's view as it moves. */
  replace?: boolean;
}

/** Goes to a route: the one way the page changes its address (links use `formatRoute` as `href`). */
export function navigate(to: Route, { replace = false }: NavigateOptions = {}): void {
  const hash = formatRoute(to);
  if (!replace) {
    // The browser fires `hashchange` when the hash changes.
    window.location.hash = hash;
    return;
  }
  if (window.location.hash === hash) return;
  // An empty URL would keep the hash: the page's own address without it then.
  history.replaceState(history.state, '', hash || `${window.location.pathname}${window.location.search}`);
  for (const listener of listeners) listener();
}

/** The current route, parsed, and `navigate`; re-renders when the address changes. */
export function useRoute(): { route: Route; navigate: typeof navigate } {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    onChange();
    window.addEventListener('hashchange', onChange);
    listeners.add(onChange);
    return () => {
      window.removeEventListener('hashchange', onChange);
      listeners.delete(onChange);
    };
  }, []);
  const route = useMemo(() => parseRoute(hash), [hash]);
  return { route, navigate };
}
