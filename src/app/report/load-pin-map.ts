import type { ComponentType } from 'preact';
import type { PinMapProps } from './PinMap.tsx';

let loading: Promise<ComponentType<PinMapProps>> | undefined;

/**
 * The pin map (Leaflet and its CSS) in its own chunk, loaded the first time a screen needs
 * it, so that the survey and the residents' page start light. A failed load may be retried.
 */
export function loadPinMap(): Promise<ComponentType<PinMapProps>> {
  loading ??= import('./PinMap.tsx').then(
    (module) => module.PinMap,
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
