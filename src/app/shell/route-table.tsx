import { Component, type ComponentChild } from 'preact';
import type { SessionInfo } from '../../domain/account.ts';
import { SignInScreen } from '../account/SignInScreen.tsx';
import { SurveyScreen } from '../survey/SurveyScreen.tsx';
import { lazyScreen } from './lazy-screen.tsx';
import type { ScreenName } from './role-tabs.ts';

// The survey and the sign-in load with the page: one of them is the first screen, and on a
// slow 3G phone every kilobyte before it counts (issue 19). Every other screen loads on
// demand, each in its own chunk; the service worker precaches an agent's and a resident's
// (scripts/precache-by-role.ts), so that they open offline once the app is installed.
const ReadingsScreen = lazyScreen(() => import('../readings/ReadingsScreen.tsx').then((m) => m.ReadingsScreen), 'L’écran des relevés');
const MapScreen = lazyScreen(() => import('../map/MapScreen.tsx').then((m) => m.MapScreen), 'La carte');
const AboutScreen = lazyScreen(() => import('../about/AboutScreen.tsx').then((m) => m.AboutScreen), 'La page « À propos »');
const ReportScreen = lazyScreen(() => import('../report/ReportScreen.tsx').then((m) => m.ReportScreen), 'La page de signalement');
const ReviewScreen = lazyScreen(() => import('../review/ReviewScreen.tsx').then((m) => m.ReviewScreen), 'L’écran des signalements');
const AdminScreen = lazyScreen(() => import('../admin/AdminScreen.tsx').then((m) => m.AdminScreen), 'L’écran d’administration');
const CoverageScreen = lazyScreen(() => import('../cells/CoverageScreen.tsx').then((m) => m.CoverageScreen), 'L’écran de couverture');
const TrackScreen = lazyScreen(() => import('../track/TrackScreen.tsx').then((m) => m.TrackScreen), 'L’écran des parcours');
const CampaignsScreen = lazyScreen(() => import('../campaigns/CampaignsScreen.tsx').then((m) => m.CampaignsScreen), 'L’écran des campagnes');
const ZonesScreen = lazyScreen(() => import('../zones/ZonesScreen.tsx').then((m) => m.ZonesScreen), 'L’écran des zones');
const DepartementSummaryScreen = lazyScreen(
  () => import('../departement/DepartementSummaryScreen.tsx').then((m) => m.DepartementSummaryScreen),
  'Le tableau de bord',
);
const AccountScreen = lazyScreen(() => import('../account/AccountScreen.tsx').then((m) => m.AccountScreen), 'L’écran « Mon compte »');
const ChoosePasswordScreen = lazyScreen(() => import('../account/ChoosePasswordScreen.tsx').then((m) => m.ChoosePasswordScreen), 'L’écran du mot de passe');
const OpenDataScreen = lazyScreen(() => import('../open-data/OpenDataScreen.tsx').then((m) => m.OpenDataScreen), 'La page des données ouvertes');

type User = SessionInfo['user'];

/**
 * The screen of each route (`routes.ts` says its address, `role-tabs.ts` who sees it). A
 * screen reads its sub-address (a campaign's id, the map's filters) with `useRoute()`. The
 * user is there for every screen but the public ones and the sign-in (`shownFor` sees to it).
 * Each is drawn inside `OwnRenders`, keyed by its name.
 */
export const SCREENS = Object.fromEntries(
  Object.entries(screenContents()).map(([name, content]) => [
    name,
    // A screen whose content takes no user (no parameter) reads the session, if at all, through
    // its own hooks: a change of user would draw it again for nothing.
    (user: User | undefined) => (
      <OwnRenders key={name} user={content.length > 0 ? user : undefined}>
        {content(user)}
      </OwnRenders>
    ),
  ]),
) as ScreenTable;

type ScreenTable = Record<ScreenName, (user: User | undefined) => ComponentChild>;

/**
 * Renders its screen again when the signed-in user changes (for a screen that takes it), and not each time the shell above
 * it renders (a send starting or ending, the outbox's counts changing, a banner): at start-up
 * that was the whole survey form drawn again several times while the phone waited for it to
 * answer (issue 19). A screen reads everything else it shows through its own hooks (useRoute,
 * useStore…), which re-render it by themselves.
 */
class OwnRenders extends Component<{ user: User | undefined; children: ComponentChild }> {
  override shouldComponentUpdate(next: { user: User | undefined }): boolean {
    return next.user !== this.props.user;
  }

  override render(): ComponentChild {
    return this.props.children;
  }
}

function screenContents(): ScreenTable {
  return {
    releve: () => <SurveyScreen />,
    releves: () => <ReadingsScreen />,
    parcours: () => <TrackScreen />,
    carte: () => <MapScreen />,
    campagnes: () => <CampaignsScreen />,
    signalements: () => <ReviewScreen />,
    couverture: () => <CoverageScreen />,
    zones: () => <ZonesScreen />,
    tableau: (user) => user && <DepartementSummaryScreen user={user} />,
    administration: () => <AdminScreen />,
    connexion: () => <SignInScreen />,
    signaler: () => <ReportScreen />,
    'a-propos': () => <AboutScreen />,
    'donnees-ouvertes': () => <OpenDataScreen />,
    'mon-compte': (user) => user && <AccountScreen user={user} />,
    'choisir-mot-de-passe': (user) => user && <ChoosePasswordScreen user={user} />,
  };
}
