import { useEffect, useState } from 'preact/hooks';
import { ROLE_LABELS, type Role } from '../domain/account.ts';
import { AboutScreen } from './about/AboutScreen.tsx';
import { SessionExpiredBanner } from './account/SessionExpiredBanner.tsx';
import { SignInScreen } from './account/SignInScreen.tsx';
import { signOut } from './account/sign-in.ts';
import { agree, plural } from './format.ts';
import { MapScreen } from './map/MapScreen.tsx';
import { ReadingsScreen } from './readings/ReadingsScreen.tsx';
import { lazyScreen } from './shell/lazy-screen.tsx';
import { BottomDock } from './shell/BottomDock.tsx';
import { TabBar } from './shell/TabBar.tsx';
import { tabOf } from './shell/routes.ts';
import { applyUpdate, shellState } from './shell/service-worker.ts';
import { sessionState } from './shell/session-state.ts';
import { useStore } from './shell/tiny-store.ts';
import { SurveyScreen } from './survey/SurveyScreen.tsx';
import { resumeTrackOnStart } from './track/resume-on-start.ts';
import { outboxState, pendingCount } from './sync/outbox-state.ts';
import { SyncBar } from './sync/SyncBar.tsx';

// Screens most people never open load on demand, like the map.
const ReportScreen = lazyScreen(() => import('./report/ReportScreen.tsx').then((m) => m.ReportScreen), 'La page de signalement');
const ReviewScreen = lazyScreen(() => import('./review/ReviewScreen.tsx').then((m) => m.ReviewScreen), 'L’écran des signalements');
const AdminScreen = lazyScreen(() => import('./admin/AdminScreen.tsx').then((m) => m.AdminScreen), 'L’écran d’administration');
const CoverageScreen = lazyScreen(() => import('./cells/CoverageScreen.tsx').then((m) => m.CoverageScreen), 'L’écran de couverture');
const TrackScreen = lazyScreen(() => import('./track/TrackScreen.tsx').then((m) => m.TrackScreen), 'L’écran des parcours');
const CampaignsScreen = lazyScreen(() => import('./campaigns/CampaignsScreen.tsx').then((m) => m.CampaignsScreen), 'L’écran des campagnes');
const ZonesScreen = lazyScreen(() => import('./zones/ZonesScreen.tsx').then((m) => m.ZonesScreen), 'L’écran des zones');
const AccountScreen = lazyScreen(() => import('./account/AccountScreen.tsx').then((m) => m.AccountScreen), 'L’écran « Mon compte »');
const ChoosePasswordScreen = lazyScreen(() => import('./account/ChoosePasswordScreen.tsx').then((m) => m.ChoosePasswordScreen), 'L’écran du mot de passe');
/** « Mon compte », every role's: reached from the name in the header, outside the tabs. */
const MON_COMPTE = '#mon-compte';
const OpenDataScreen = lazyScreen(() => import('./open-data/OpenDataScreen.tsx').then((m) => m.OpenDataScreen), 'La page des données ouvertes');

interface Tab {
  hash: string;
  label: string;
}

const RELEVE = { hash: '#releve', label: 'Relevé' };
const RELEVES = { hash: '#releves', label: 'Relevés' };
const PARCOURS = { hash: '#parcours', label: 'Parcours' };
const CAMPAGNES = { hash: '#campagnes', label: 'Campagnes' };
const CARTE = { hash: '#carte', label: 'Carte' };
const SIGNALEMENTS = { hash: '#signalements', label: 'Signalements' };
const COUVERTURE = { hash: '#couverture', label: 'Couverture' };
const ZONES = { hash: '#zones', label: 'Zones' };
const ADMINISTRATION = { hash: '#administration', label: 'Administration' };
const CONNEXION = { hash: '#connexion', label: 'Connexion' };
const SIGNALER = { hash: '#signaler', label: 'Signaler' };

/** What each role sees; the first tab is where it lands. The server enforces the same rules. */
const TABS: Record<Role | 'anonymous', Tab[]> = {
  agent: [RELEVE, PARCOURS, RELEVES, CARTE, CAMPAGNES],
  reviewer: [SIGNALEMENTS, COUVERTURE, ZONES, CAMPAGNES, CARTE],
  admin: [ADMINISTRATION, SIGNALEMENTS, COUVERTURE, ZONES, CAMPAGNES, CARTE],
  anonymous: [CONNEXION, SIGNALER],
};

function currentTab(tabs: Tab[], hash: string): string {
  const route = tabOf(hash);
  // The residents' page is open to everyone, signed in or not.
  if (route === SIGNALER.hash) return route;
  return tabs.find((tab) => tab.hash === route)?.hash ?? tabs[0]!.hash;
}

/** Screens made for a desktop's width (the others keep a phone's column). */
const WIDE_TABS = new Set(['#couverture', '#zones']);

export function App() {
  const [hash, setHash] = useState(window.location.hash);
  const shell = useStore(shellState);
  const { loaded, session } = useStore(sessionState);
  const outbox = useStore(outboxState);
  const refused = outbox.records.filter((record) => record.state === 'refused').length;

  useEffect(() => {
    const onHash = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const user = session?.info.user;

  useEffect(() => {
    if (user?.role === 'agent') void resumeTrackOnStart(user.id);
  }, [user?.id, user?.role]);
  const tabs = TABS[user?.role ?? 'anonymous'];
  const tab = currentTab(tabs, hash);
  // A password an admin set opens nothing but the screen to choose one's own (the server agrees).
  const mustChangePassword = session?.info.mustChangePassword === true;
  const onAccount = tabOf(hash) === MON_COMPTE;
  const signInNeeded = session?.signInNeeded !== undefined;
  // Agents always see the state of their readings; others only when some wait on this device.
  const showSyncBar = user?.role === 'agent' || pendingCount(outbox) > 0;

  const signOutHere = async () => {
    const waiting = outbox.records.filter((record) => record.state === 'pending' && record.recordedBy === user?.id).length;
    if (waiting > 0 && !window.confirm(`${plural(waiting, 'relevé pas encore envoyé : il reste', 'relevés pas encore envoyés : ils restent')} sur l’appareil et ${agree(waiting, 'partira', 'partiront')} à votre prochaine connexion. Se déconnecter ?`)) return;
    await signOut();
    window.location.hash = '';
  };

  return (
    <div class="app">
      <header class="app-header">
        <div class="header-top">
          <h1>Couverture</h1>
          {user && (
            <div class="who">
              <a class="who-name" href={MON_COMPTE} title={`${ROLE_LABELS[user.role]} · Mon compte`} aria-current={onAccount ? 'page' : undefined}>
                {user.name} <span class="who-role">· {ROLE_LABELS[user.role]}</span>
                <span class="visually-hidden"> : Mon compte</span>
              </a>
              <button type="button" class="sign-out" onClick={() => void signOutHere()}>
                Se déconnecter
              </button>
            </div>
          )}
        </div>
        {loaded && !mustChangePassword && (
          <TabBar
            current={onAccount ? '' : tab}
            tabs={tabs.map((link) =>
              link.hash === '#releves' && refused > 0
                ? {
                    ...link,
                    extra: (
                      <span class="badge" aria-label={`${refused} refusé${refused > 1 ? 's' : ''}`}>
                        {refused}
                      </span>
                    ),
                  }
                : link,
            )}
          />
        )}
      </header>
      {session && signInNeeded && <SessionExpiredBanner key={session.info.user.id} session={session} />}
      <main class={WIDE_TABS.has(tab) ? 'wide' : undefined}>
        {!loaded ? null : hash === '#a-propos' ? (
          <AboutScreen />
        ) : hash === '#donnees-ouvertes' ? (
          <OpenDataScreen />
        ) : tab === '#signaler' ? (
          <ReportScreen />
        ) : !user ? (
          <SignInScreen />
        ) : mustChangePassword ? (
          <ChoosePasswordScreen user={user} />
        ) : onAccount ? (
          <AccountScreen user={user} />
        ) : (
          <>
            {tab === '#releve' && <SurveyScreen />}
            {tab === '#releves' && <ReadingsScreen />}
            {tab === '#carte' && <MapScreen />}
            {tab === '#signalements' && <ReviewScreen />}
            {tab === '#administration' && <AdminScreen />}
            {tab === '#couverture' && <CoverageScreen />}
            {tab === '#zones' && <ZonesScreen hash={hash} />}
            {tab === '#parcours' && <TrackScreen />}
            {tab === '#campagnes' && <CampaignsScreen hash={hash} />}
          </>
        )}
      </main>
      <BottomDock>
        {shell.updateWaiting && (
          <div class="banner floating" role="alert">
            Une nouvelle version de Couverture est prête.
            <button type="button" onClick={applyUpdate}>
              Mettre à jour
            </button>
          </div>
        )}
        {shell.offlineReady && !shell.updateWaiting && (
          <div class="banner ready floating" role="status">
            Couverture est prête à fonctionner sans réseau.
            <button type="button" onClick={() => shellState.set({ offlineReady: false })}>
              OK
            </button>
          </div>
        )}
        {showSyncBar && <SyncBar signInNeeded={signInNeeded} />}
      </BottomDock>
    </div>
  );
}
