import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * A screen in its own chunk, loaded the first time it is shown (and precached by the
 * service worker, so it opens offline too). Keeps the first page's JavaScript small.
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>, what: string): ComponentType<P> {
  let loading: Promise<ComponentType<P>> | undefined;
  return function LazyScreen(props: P) {
    const [Screen, setScreen] = useState<ComponentType<P>>();
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      loading ??= load();
      loading.then(
        (component) => setScreen(() => component),
        () => {
          loading = undefined;
          setFailed(true);
        },
      );
    }, []);
    if (failed) return <p class="error screen">{what} n’a pas pu se charger. Rouvrez l’application avec du réseau une fois pour l’installer.</p>;
    if (!Screen) return <p class="screen">Chargement…</p>;
    return <Screen {...props} />;
  };
}
