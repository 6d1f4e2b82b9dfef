import { useEffect } from 'preact/hooks';

const APP_NAME = 'Couverture';

/**
 * Names the browser tab, the history and what a screen reader says on arrival after the
 * screen: « Nouveau relevé · Couverture ». Every screen calls it once; the name is left as
 * it is when the screen goes, for the next screen to set.
 */
export function useTitle(screen: string): void {
  useEffect(() => {
    document.title = screen ? `${screen} · ${APP_NAME}` : APP_NAME;
  }, [screen]);
}
