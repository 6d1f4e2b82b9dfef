import { surveyRulesSummary, type Campaign, type SurveyRules } from '../../domain/campaign.ts';
import { PROTOCOL_LABELS } from '../../domain/protocol.ts';
import { hrefTo } from '../shell/routes.ts';

/** Which campaign the readings go to, or the way to pick one; and the protocol the tests follow. */
export function CampaignBanner({ campaign, rules }: { campaign: Campaign | undefined; rules: SurveyRules }) {
  if (!campaign) {
    return (
      <p class="survey-campaign none">
        Aucune campagne choisie · <a href={hrefTo('campagnes')}>Choisir une campagne</a> · Protocole : {PROTOCOL_LABELS[rules.protocol]}
      </p>
    );
  }
  return (
    <p class="survey-campaign">
      Campagne en cours : <strong>{campaign.name}</strong> · {campaign.communeName} ({campaign.communeInsee})
      <br />
      Protocole : {surveyRulesSummary(rules)}
    </p>
  );
}
