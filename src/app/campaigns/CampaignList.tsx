import { useState } from 'preact/hooks';
import type { SessionInfo } from '../../domain/account.ts';
import { surveyRules, surveyRulesSummary, type Campaign, type CampaignView } from '../../domain/campaign.ts';
import { OPERATOR_LABELS } from '../../domain/operators.ts';
import { DEFAULT_PROTOCOL } from '../../domain/protocol.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import { useAction } from '../shell/use-action.ts';
import { useStore } from '../shell/tiny-store.ts';
import { canCreateCampaigns, canManageCampaign } from './campaign-access.ts';
import { forgetCachedCampaign } from './campaign-cache.ts';
import { campaignPhase, formatInstant, formatPeriod, localDay, PHASE_LABELS, sortCampaigns } from './campaign-calendar.ts';
import { deleteCampaign } from './campaigns-api.ts';
import { formatRoute } from '../shell/routes.ts';
import { chooseCampaign, currentCampaign } from './current-campaign.ts';
import { campaignOf, useCampaigns } from './use-campaigns.ts';
import { useTitle } from '../shell/use-title.ts';

type User = SessionInfo['user'];

/** The campaigns this account sees; agents pick the one their readings are for. */
export function CampaignList({ user }: { user: User }) {
  useTitle('Campagnes');
  const { campaigns, savedAt, fresh, loading, error, offline, reload } = useCampaigns(user.id);
  const { campaign: chosen } = useStore(currentCampaign);
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const today = localDay(new Date());
  const shown = sortCampaigns(
    (campaigns ?? []).filter((campaign) => !removed.has(campaign.id)),
    today,
  );
  const isAgent = user.role === 'agent';

  return (
    <section class="screen campaigns-screen" aria-labelledby="campaigns-title">
      <h2 id="campaigns-title">Campagnes</h2>
      {isAgent && <ChosenCampaign chosen={chosen} listed={campaigns === undefined || campaigns.some((campaign) => campaign.id === chosen?.id)} />}
      <div class="actions">
        {canCreateCampaigns(user) && (
          <a class="button-link primary" href={formatRoute({ name: 'nouvelle-campagne' })}>
            Nouvelle campagne
          </a>
        )}
        <button type="button" onClick={reload} disabled={loading}>
          {loading ? 'Chargement…' : 'Actualiser'}
        </button>
      </div>
      {!fresh && savedAt !== undefined && !loading && (
        <p class="hint campaigns-age" role="status">
          {offline ? 'Hors ligne' : 'Serveur injoignable'} : liste du {formatInstant(savedAt)}, gardée sur cet appareil.
        </p>
      )}
      {!(offline && savedAt !== undefined) && <ApiErrorMessage error={error} />}
      {campaigns && shown.length === 0 && <p>{isAgent ? 'Aucune campagne ne vous est confiée pour l’instant.' : 'Aucune campagne pour l’instant.'}</p>}
      <ul class="campaigns" aria-label="Campagnes">
        {shown.map((campaign) => (
          <CampaignItem
            key={campaign.id}
            campaign={campaign}
            user={user}
            today={today}
            chosen={chosen?.id === campaign.id}
            onDeleted={() => setRemoved((ids) => new Set([...ids, campaign.id]))}
          />
        ))}
      </ul>
    </section>
  );
}

function ChosenCampaign({ chosen, listed }: { chosen: Campaign | undefined; listed: boolean }) {
  if (!chosen) {
    return (
      <p class="chosen-campaign none">
        Aucune campagne choisie sur cet appareil : vos relevés ne sont rattachés à aucune campagne. Choisissez-en une ci-dessous.
      </p>
    );
  }
  return (
    <div class="chosen-campaign" role="status" aria-label="Campagne de cet appareil">
      <p>
        Campagne de cet appareil : <strong>{chosen.name}</strong> ({chosen.communeName}, {formatPeriod(chosen.startsOn, chosen.endsOn)}). Vos relevés et
        parcours y sont rattachés, même hors ligne.
      </p>
      {!listed && <p class="error">Cette campagne n’est plus dans votre liste : elle a pu être supprimée ou ne plus vous être confiée.</p>}
      <div class="actions">
        <a class="button-link" href={formatRoute({ name: 'campagne', id: chosen.id })}>
          Avancement
        </a>
        <button type="button" onClick={() => void chooseCampaign(undefined)}>
          Ne plus utiliser de campagne
        </button>
      </div>
    </div>
  );
}

interface ItemProps {
  campaign: CampaignView;
  user: User;
  today: string;
  chosen: boolean;
  onDeleted(): void;
}

function CampaignItem({ campaign, user, today, chosen, onDeleted }: ItemProps) {
  const action = useAction();
  const phase = campaignPhase(campaign, today);
  const manage = canManageCampaign(user, campaign);

  const choose = () => action.run(() => chooseCampaign(campaignOf(campaign)), 'La campagne n’a pas pu être enregistrée sur l’appareil.');

  const remove = async () => {
    if (!window.confirm(`Supprimer la campagne « ${campaign.name} » ?`)) return;
    await action.run(async () => {
      await deleteCampaign(campaign.id);
      await forgetCachedCampaign(user.id, campaign.id);
      if (chosen) await chooseCampaign(undefined);
      onDeleted();
    }, 'La campagne n’a pas pu être supprimée.');
  };

  return (
    <li class={`campaign-item${chosen ? ' chosen' : ''}`} aria-label={campaign.name} data-phase={phase}>
      <div class="reading-head">
        <span class="reading-what">{campaign.name}</span>
        <span class={`state campaign-phase-${phase}`}>{PHASE_LABELS[phase]}</span>
      </div>
      {chosen && <p class="campaign-chosen-tag">✓ Campagne de cet appareil</p>}
      <p class="reading-meta">
        {campaign.communeName} ({campaign.communeInsee}) · {formatPeriod(campaign.startsOn, campaign.endsOn)}
      </p>
      <p class="reading-meta">Opérateurs : {campaign.operators.map((operator) => OPERATOR_LABELS[operator]).join(', ')}</p>
      <p class="reading-meta">Protocole : {surveyRulesSummary(surveyRules(campaign, DEFAULT_PROTOCOL))}</p>
      <p class="reading-meta">{campaign.testNumber ? `Numéro de test : ${campaign.testNumber}` : 'Pas de numéro de test : l’agent le saisit à chaque test.'}</p>
      <p class="reading-meta">{campaign.agents.length > 0 ? `Agents : ${campaign.agents.map((agent) => agent.name).join(', ')}` : 'Aucun agent assigné'}</p>
      <div class="actions">
        {user.role === 'agent' && !chosen && (
          <button type="button" class="primary" onClick={() => void choose()}>
            Choisir cette campagne
          </button>
        )}
        <a class="button-link" href={formatRoute({ name: 'campagne', id: campaign.id })}>
          Avancement
        </a>
        {manage && (
          <a class="button-link" href={formatRoute({ name: 'modifier-campagne', id: campaign.id })}>
            Modifier
          </a>
        )}
        {manage && (
          <button type="button" class="danger" disabled={action.busy} onClick={() => void remove()}>
            Supprimer
          </button>
        )}
      </div>
      <ApiErrorMessage error={action.error} />
    </li>
  );
}
