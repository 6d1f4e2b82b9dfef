import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { loadPinMap } from './load-pin-map.ts';
import type { PinMapProps } from './PinMap.tsx';

/**
 * The pin map, loaded on first use. Until Leaflet arrives, a box of the map's size with the
 * same button stands in its place, so that nothing below it moves when the map appears
 * (the residents' page was measured shifting by 0.28: test/e2e/resident-layout.test.ts).
 */
export function LazyPinMap(props: PinMapProps) {
  const [PinMap, setPinMap] = useState<ComponentType<PinMapProps>>();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    loadPinMap().then(
      (component) => setPinMap(() => component),
      () => setFailed(true),
    );
  }, []);

  if (PinMap) return <PinMap {...props} />;
  return (
    <div class="pin-map-wrap">
      <div class="pin-map pin-map-waiting">
        <p class={failed ? 'error' : undefined}>
          {failed ? 'La carte n’a pas pu se charger. Rouvrez la page avec du réseau une fois pour l’installer.' : 'Chargement de la carte…'}
        </p>
      </div>
      <button type="button" class="pin-centre" disabled>
        Placer le point au centre de la carte
      </button>
      <p class="hint pin-zoom-hint" />
    </div>
  );
}
