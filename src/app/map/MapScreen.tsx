import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { sessionState } from '../shell/session-state.ts';
import { useStore } from '../shell/tiny-store.ts';
import { currentCampaign } from '../campaigns/current-campaign.ts';
import { useOutboxRecords } from '../sync/outbox-state.ts';
import type { LeafletMapProps } from './LeafletMap.tsx';
import { useTitle } from '../shell/use-title.ts';

/** Leaflet weighs more than the rest of the app: it loads when the map is first opened. */
let loading: Promise<ComponentType<LeafletMapProps>> | undefined;

export function MapScreen() {
  useTitle('Carte des relevés');
  const { records } = useOutboxRecords();
  const { session } = useStore(sessionState);
  const { campaign } = useStore(currentCampaign);
  const [LeafletMap, setLeafletMap] = useState<ComponentType<LeafletMapProps>>();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    loading ??= import('./LeafletMap.tsx').then((module) => module.LeafletMap);
    loading.then(
      (component) => setLeafletMap(() => component),
      () => {
        loading = undefined;
        setFailed(true);
      },
    );
  }, []);

  return (
    <section class="screen map-screen" aria-labelledby="map-title">
      <h2 id="map-title">Carte des relevés</h2>
      {failed ? (
        <p class="error">La carte n’a pas pu se charger. Rouvrez l’application avec du réseau une fois pour l’installer.</p>
      ) : LeafletMap ? (
        <LeafletMap
          records={records}
          deviceCells={session?.info.user.role === 'agent' || records.length > 0}
          {...(campaign && { campaign })}
          {...(session && { userId: session.info.user.id })}
        />
      ) : (
        <p>Chargement de la carte…</p>
      )}
    </section>
  );
}
