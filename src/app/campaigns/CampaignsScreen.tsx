import { sessionState } from '../shell/session-state.ts';
import { useStore } from '../shell/tiny-store.ts';
import { CampaignFormPage } from './CampaignFormPage.tsx';
import { CampaignList } from './CampaignList.tsx';
import { CampaignProgressPage } from './CampaignProgressPage.tsx';
import { useRoute } from '../shell/use-route.ts';

/** « Campagnes »: one commune surveyed over a period; agents pick one, staff set them up. */
export function CampaignsScreen() {
  const { route } = useRoute();
  const { session } = useStore(sessionState);
  const user = session?.info.user;
  if (!user) return null;
  switch (route.name) {
    case 'nouvelle-campagne':
      return <CampaignFormPage key="new" user={user} />;
    case 'modifier-campagne':
      return <CampaignFormPage key={`edit-${route.id}`} user={user} id={route.id} />;
    case 'campagne':
      return <CampaignProgressPage key={route.id} user={user} id={route.id} />;
    default:
      return <CampaignList user={user} />;
  }
}
