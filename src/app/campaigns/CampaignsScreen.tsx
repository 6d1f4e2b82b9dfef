import { sessionState } from '../shell/session-state.ts';
import { useStore } from '../shell/tiny-store.ts';
import { CampaignFormPage } from './CampaignFormPage.tsx';
import { CampaignList } from './CampaignList.tsx';
import { CampaignProgressPage } from './CampaignProgressPage.tsx';
import { parseCampaignsRoute } from './campaigns-route.ts';

/** « Campagnes »: one commune surveyed over a period; agents pick one, staff set them up. */
export function CampaignsScreen({ hash }: { hash: string }) {
  const { session } = useStore(sessionState);
  const user = session?.info.user;
  if (!user) return null;
  const route = parseCampaignsRoute(hash);
  switch (route.page) {
    case 'new':
      return <CampaignFormPage key="new" user={user} />;
    case 'edit':
      return <CampaignFormPage key={`edit-${route.id}`} user={user} id={route.id} />;
    case 'progress':
      return <CampaignProgressPage key={route.id} user={user} id={route.id} />;
    default:
      return <CampaignList user={user} />;
  }
}
