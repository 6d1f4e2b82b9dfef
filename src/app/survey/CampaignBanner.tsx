import type { Campaign } from '../../domain/campaign.ts';
import { hrefTo } from '../shell/routes.ts';

/** Which campaign the readings go to, or the way to pick one. */
export function CampaignBanner({ campaign }: { campaign: Campaign | undefined }) {
  if (!campaign) {
    return (
      <p class="survey-campaign none">
        Aucune campagne choisie · <a href={hrefTo('campagnes')}>Choisir une campagne</a>
      </p>
    );
  }
  return (
    <p class="survey-campaign">
      Campagne en cours : <strong>{campaign.name}</strong> · {campaign.communeName} ({campaign.communeInsee})
    </p>
  );
}
