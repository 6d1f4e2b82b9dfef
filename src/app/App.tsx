import { useEffect } from 'preact/hooks';
import { ROLE_LABELS } from '../domain/account.ts';
import { SessionExpiredBanner } from './account/SessionExpiredBanner.tsx';
import { signOut } from './account/sign-in.ts';
import { agree, plural } from './format.ts';
import { BottomDock } from './shell/BottomDock.tsx';
import { ROLE_TABS, shownFor, TAB_LABELS } from './shell/role-tabs.ts';
import { SCREENS } from './shell/route-table.tsx';
import { hrefTo } from './shell/routes.ts';
import { TabBar } from './shell/TabBar.tsx';
import { applyUpdate, shellState } from './shell/service-worker.ts';
import { sessionState } from './shell/session-state.ts';
import { useStore } from './shell/tiny-store.ts';
import { navigate, useRoute } from './shell/use-route.ts';
import { resumeTrackOnStart } from './track/resume-on-start.ts';
import { countWaitingRecordedBy } from '../store/outbox.ts';
import { outboxState, pendingCount } from './sync/outbox-state.ts';
import { SyncBar } from './sync/SyncBar.tsx';
import { releaseEarlyPosition } from './survey/position-watch.ts';

export function App() {
  const { route } = useRoute();
  const shell = useStore(shellState);
  const { loaded, session } = useStore(sessionState);
  const outbox = useStore(outboxState);
  const refused = outbox.counts.refused;

  const user = session?.info.user;

  useEffect(() => {
    if (user?.role === 'agent') void resumeTrackOnStart(user.id);
  }, [user?.id, user?.role]);
  const viewer = user?.role ?? 'anonymous';
  // A password an admin set opens nothing but the screen to choose one's own (the server agrees).
  const mustChangePassword = session?.info.mustChangePassword === true;
  const shown = shownFor(route, viewer, mustChangePassword);
  // The start's early position watch (main.tsx) is for the survey screen only.
  useEffect(() => {
    if (loaded && shown.screen !== 'releve') releaseEarlyPosition();
  }, [loaded, shown.screen]);
  const signInNeeded = session?.signInNeeded !== undefined;
  // Agents always see the state of their readings; others only when some wait on this device.
  const showSyncBar = user?.role === 'agent' || pendingCount(outbox) > 0;

  const signOutHere = async () => {
    const waiting = user ? await countWaitingRecordedBy(user.id) : 0;
    if (
      waiting > 0 &&
      !window.confirm(
        `${plural(waiting, 'relevé pas encore envoyé : il reste', 'relevés pas encore envoyés : ils restent')} sur l’appareil et ${agree(waiting, 'partira', 'partiront')} à votre prochaine connexion. Se déconnecter ?`,
      )
    )
      return;
    await signOut();
    navigate({ name: 'accueil' });
  };

  return (
    <div class="app">
      <header class="app-header">
        <div class="header-top">
          <h1>Couverture</h1>
          {user && (
            <div class="who">
              <a
                class="who-name"
                href={hrefTo('mon-compte')}
                title={`${ROLE_LABELS[user.role]} · Mon compte`}
                aria-current={shown.screen === 'mon-compte' ? 'page' : undefined}
              >
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
            current={shown.tab ? hrefTo(shown.tab) : ''}
            tabs={ROLE_TABS[viewer].map((name) => {
              const link = { hash: hrefTo(name), label: TAB_LABELS[name] };
              return name === 'releves' && refused > 0
                ? {
                    ...link,
                    extra: (
                      <span class="badge" aria-label={`${refused} refusé${refused > 1 ? 's' : ''}`}>
                        {refused}
                      </span>
                    ),
                  }
                : link;
            })}
          />
        )}
      </header>
      {session && signInNeeded && <SessionExpiredBanner key={session.info.user.id} session={session} />}
      <main class={shown.wide ? 'wide' : undefined}>{loaded && SCREENS[shown.screen](user)}</main>
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
