import { useState } from 'preact/hooks';
import { LazyPinMap } from '../report/LazyPinMap.tsx';
import type { Fix, GeolocationState } from './use-geolocation.ts';

interface Props {
  geolocation: GeolocationState;
  /** The point placed so far, if any. */
  fix: Fix | undefined;
  onFix: (fix: Fix) => void;
}

/**
 * With no position from the phone (location refused, no fix), the agent places the point on
 * a map (the residents' pin map, loaded on demand): the reading then says so
 * (positionSource: 'manual') and carries what the map's zoom allowed as its accuracy.
 */
export function ManualPosition({ geolocation, fix, onFix }: Props) {
  const hopeless = geolocation.status === 'denied' || geolocation.status === 'unsupported';
  const [open, setOpen] = useState(hopeless || fix !== undefined);

  if (!open && !hopeless) {
    return (
      <button type="button" class="link-button manual-open" onClick={() => setOpen(true)}>
        Pas de position ? Placer le point sur une carte
      </button>
    );
  }
  return (
    <div class="manual-position" role="group" aria-label="Position placée à la main">
      <p class="hint">Touchez la carte là où vous êtes (zoomez d’abord) : le relevé dira que le point a été placé à la main.</p>
      <LazyPinMap
        label="Carte : touchez l’endroit où vous êtes"
        pin={fix}
        onPin={(pin) => onFix({ lat: pin.lat, lon: pin.lon, accuracyM: pin.accuracyM, takenAt: Date.now(), manual: true })}
      />
      <p class="pin-status" role="status">
        {fix ? `Point placé à la main (à ± ${Math.round(fix.accuracyM)} m près).` : 'Aucun point placé.'}
      </p>
    </div>
  );
}
