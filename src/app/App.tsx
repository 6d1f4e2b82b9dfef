import { useEffect, useState } from 'preact/hooks';
import { MapScreen } from './map/MapScreen.tsx';
import { ReadingsScreen } from './readings/ReadingsScreen.tsx';
import { applyUpdate, shellState } from './shell/service-worker.ts';
import { useStore } from './shell/tiny-store.ts';
import { SurveyScreen } from './survey/SurveyScreen.tsx';
import { outboxState } from './sync/outbox-state.ts';
import { SyncBar } from './sync/SyncBar.tsx';

const TABS = [
  { hash: '#releve', label: 'Relevé' },
  { hash: '#releves', label: 'Relevés' },
  { hash: '#carte', label: 'Carte' },
] as const;
type TabHash = (typeof TABS)[number]['hash'];

function currentTab(): TabHash {
  return TABS.find((tab) => tab.hash === window.location.hash)?.hash ?? '#releve';
}

export function App() {
  const [tab, setTab] = useState<TabHash>(currentTab);
  const shell = useStore(shellState);
  const { records } = useStore(outboxState);
  const refused = records.filter((record) => record.state === 'refused').length;

  useEffect(() => {
    const onHash = () => setTab(currentTab());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  return (
    <div class="app">
      <header class="app-header">
        <h1>Couverture</h1>
        <nav aria-label="Écrans">
          {TABS.map(({ hash, label }) => (
            <a key={hash} href={hash} aria-current={tab === hash ? 'page' : undefined}>
              {label}
              {hash === '#releves' && refused > 0 && (
                <span class="badge" aria-label={`${refused} refusé${refused > 1 ? 's' : ''}`}>
                  {refused}
                </span>
              )}
            </a>
          ))}
        </nav>
      </header>
      {shell.updateWaiting && (
        <div class="banner" role="alert">
          Une nouvelle version de Couverture est prête.
          <button type="button" onClick={applyUpdate}>
            Mettre à jour
          </button>
        </div>
      )}
      {shell.offlineReady && !shell.updateWaiting && (
        <div class="banner ready" role="status">
          Couverture est prête à fonctionner sans réseau.
          <button type="button" onClick={() => shellState.set({ offlineReady: false })}>
            OK
          </button>
        </div>
      )}
      <main>
        {tab === '#releve' && <SurveyScreen />}
        {tab === '#releves' && <ReadingsScreen />}
        {tab === '#carte' && <MapScreen />}
      </main>
      <SyncBar />
    </div>
  );
}
