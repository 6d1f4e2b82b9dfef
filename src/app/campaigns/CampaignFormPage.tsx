import { useEffect, useRef, useState } from 'preact/hooks';
import type { SessionInfo } from '../../domain/account.ts';
import {
  ACCURACY_RULE_LABELS,
  ACCURACY_RULES,
  MAX_CAMPAIGN_ACCURACY_M,
  MIN_CAMPAIGN_ACCURACY_M,
  type CampaignAgent,
  type CampaignView,
} from '../../domain/campaign.ts';
import { OPERATOR_LABELS, OPERATORS } from '../../domain/operators.ts';
import { CALL_HOLD_S, PROTOCOL_LABELS, PROTOCOLS, type Protocol } from '../../domain/protocol.ts';
import { fieldSettings } from '../shell/field-settings.ts';
import { CampaignAgentsAnswerSchema } from '../../domain/api/index.ts';
import { ApiError } from '../shell/api.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import { FormActions } from '../shell/FormActions.tsx';
import { useApi } from '../shell/use-api.ts';
import { cacheCampaign } from './campaign-cache.ts';
import { localDay } from './campaign-calendar.ts';
import {
  campaignFormOf,
  checkCampaignForm,
  emptyCampaignForm,
  fieldOfServerMessage,
  patchOf,
  withCommune,
  type CampaignFormValue,
  type FieldErrors,
} from './campaign-form.ts';
import { campaignAgentsPath, createCampaign, editCampaign } from './campaigns-api.ts';
import { formatRoute, hrefTo } from '../shell/routes.ts';
import { navigate } from '../shell/use-route.ts';
import { CommuneField } from './CommuneField.tsx';
import { chooseCampaign, currentCampaign } from './current-campaign.ts';
import { campaignOf, useCampaign } from './use-campaigns.ts';
import { useTitle } from '../shell/use-title.ts';

type User = SessionInfo['user'];

/** `#campagnes/nouvelle` and `#campagnes/<id>/modifier`. */
export function CampaignFormPage({ user, id }: { user: User; id?: string }) {
  useTitle(id ? 'Modifier la campagne' : 'Nouvelle campagne');
  return (
    <section class="screen campaign-form-screen" aria-labelledby="campaign-form-title">
      <p class="back-link">
        <a href={hrefTo('campagnes')}>← Campagnes</a>
      </p>
      {id === undefined ? (
        <>
          <h2 id="campaign-form-title">Nouvelle campagne</h2>
          <CampaignForm user={user} />
        </>
      ) : (
        <EditCampaign user={user} id={id} />
      )}
    </section>
  );
}

function EditCampaign({ user, id }: { user: User; id: string }) {
  const { campaign, fresh, error } = useCampaign(user.id, id);
  return (
    <>
      <h2 id="campaign-form-title">Modifier {campaign ? `« ${campaign.name} »` : 'la campagne'}</h2>
      {!fresh && !error && <p>Chargement…</p>}
      <ApiErrorMessage error={error} />
      {/* Only the server's own copy is edited: a cached one may be stale. */}
      {campaign && fresh && <CampaignForm user={user} campaign={campaign} />}
      {campaign && !fresh && error && <p class="hint">Une campagne se modifie avec du réseau.</p>}
    </>
  );
}

function CampaignForm({ user, campaign }: { user: User; campaign?: CampaignView }) {
  const [value, setValue] = useState<CampaignFormValue>(() => {
    if (campaign) return campaignFormOf(campaign);
    // An agent with one commune has nothing to choose.
    const only = user.role === 'agent' && user.communes.length === 1 ? user.communes[0] : undefined;
    return emptyCampaignForm(localDay(new Date()), only);
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const protocolChosen = useRef(campaign !== undefined);
  // A new campaign starts with the deployment's protocol, unless the author already chose one.
  const isNew = campaign === undefined;
  useEffect(() => {
    if (!isNew) return;
    void fieldSettings().then(({ protocol }) => {
      if (!protocolChosen.current) setValue((previous) => ({ ...previous, protocol }));
    });
  }, [isNew]);
  const communeCode = value.commune?.code;
  const agentsAnswer = useApi(communeCode ? campaignAgentsPath(communeCode) : null, CampaignAgentsAnswerSchema);
  const agents = { list: agentsAnswer.data?.agents, error: agentsAnswer.error };

  const set = (patch: Partial<CampaignFormValue>) => {
    setValue((previous) => ({ ...previous, ...patch }));
    setErrors((previous) => {
      const next = { ...previous, form: undefined };
      for (const key of Object.keys(patch)) delete next[key === 'commune' ? 'communeInsee' : (key as keyof FieldErrors)];
      // The period is checked as a pair: a change to either date may settle the other's error.
      if ('startsOn' in patch || 'endsOn' in patch) delete next.endsOn;
      return next;
    });
  };

  const submit = async () => {
    const checked = checkCampaignForm(value);
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    setErrors({});
    try {
      let saved: CampaignView;
      if (campaign) {
        const patch = patchOf(campaign, checked.draft);
        saved = patch ? await editCampaign(campaign.id, patch) : campaign;
      } else {
        saved = await createCampaign(checked.draft);
      }
      await cacheCampaign(user.id, saved);
      // A campaign just created is the one its author records for next (another can be picked in the list).
      if (!campaign || currentCampaign.get().campaign?.id === saved.id) await chooseCampaign(campaignOf(saved));
      navigate(campaign ? { name: 'campagne', id: saved.id } : { name: 'campagnes' });
    } catch (caught) {
      const message = caught instanceof ApiError ? caught.message : 'La campagne n’a pas pu être enregistrée.';
      const field = caught instanceof ApiError && caught.status >= 400 && caught.status < 500 ? fieldOfServerMessage(message) : 'form';
      setErrors({ [field]: message });
    } finally {
      setBusy(false);
    }
  };

  const fieldId = (field: string) => `campaign-${field}`;
  const errorProps = (field: keyof FieldErrors) => (errors[field] ? { 'aria-invalid': true, 'aria-describedby': `${fieldId(field)}-error` } : {});
  const errorText = (field: keyof FieldErrors) =>
    errors[field] && (
      <p class="error" id={`${fieldId(field)}-error`}>
        {errors[field]}
      </p>
    );
  // Agents already assigned stay listed even if their communes changed since.
  const agentChoices = mergeAgents(agents.list ?? [], campaign?.agents ?? []);

  return (
    <form
      class="campaign-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <CommuneField
        id={fieldId('communeInsee')}
        value={value.commune}
        onChange={(commune) => {
          setValue((previous) => withCommune(previous, commune));
          setErrors((previous) => ({ ...previous, communeInsee: undefined, agentIds: undefined, form: undefined }));
        }}
        {...(user.role === 'agent' && { choices: user.communes })}
        {...(user.role === 'reviewer' && user.departement && { departement: user.departement })}
        fixed={campaign !== undefined}
        {...(errors.communeInsee && { error: errors.communeInsee })}
      />
      <div class="field">
        <label for={fieldId('name')}>Nom de la campagne</label>
        <input
          id={fieldId('name')}
          type="text"
          maxLength={120}
          value={value.name}
          placeholder={value.commune ? `Campagne ${value.commune.name}` : 'Campagne <commune>'}
          onInput={(event) => set({ name: event.currentTarget.value })}
          {...errorProps('name')}
        />
        {errorText('name')}
      </div>
      <div class="field-row">
        <div class="field">
          <label for={fieldId('startsOn')}>Début</label>
          <input
            id={fieldId('startsOn')}
            type="date"
            value={value.startsOn}
            onInput={(event) => set({ startsOn: event.currentTarget.value })}
            {...errorProps('startsOn')}
          />
          {errorText('startsOn')}
        </div>
        <div class="field">
          <label for={fieldId('endsOn')}>Fin</label>
          <input
            id={fieldId('endsOn')}
            type="date"
            value={value.endsOn}
            min={value.startsOn}
            onInput={(event) => set({ endsOn: event.currentTarget.value })}
            {...errorProps('endsOn')}
          />
          {errorText('endsOn')}
        </div>
      </div>
      <fieldset class="field" {...errorProps('operators')}>
        <legend>Opérateurs à mesurer</legend>
        <div class="checks">
          {OPERATORS.map((operator) => (
            <label key={operator}>
              <input
                type="checkbox"
                checked={value.operators.includes(operator)}
                onChange={(event) =>
                  set({ operators: event.currentTarget.checked ? [...value.operators, operator] : value.operators.filter((o) => o !== operator) })
                }
              />{' '}
              {OPERATOR_LABELS[operator]}
            </label>
          ))}
        </div>
        {errorText('operators')}
      </fieldset>
      <div class="field">
        <label for={fieldId('testNumber')}>Numéro à appeler pour les tests</label>
        <input
          id={fieldId('testNumber')}
          type="tel"
          inputMode="tel"
          autocomplete="off"
          value={value.testNumber}
          placeholder="ex. 06 12 34 56 78"
          onInput={(event) => set({ testNumber: event.currentTarget.value })}
          aria-describedby={[`${fieldId('testNumber')}-hint`, errors.testNumber && `${fieldId('testNumber')}-error`].filter(Boolean).join(' ')}
          {...(errors.testNumber && { 'aria-invalid': true })}
        />
        <p class="hint" id={`${fieldId('testNumber')}-hint`}>
          Le test d’appel compose ce numéro et le test SMS y écrit : par exemple le portable d’un collègue qui décroche. Laissé vide, l’agent le saisit à chaque
          test.
        </p>
        {errorText('testNumber')}
      </div>
      <fieldset class="field" {...errorProps('protocol')}>
        <legend>Protocole des tests</legend>
        <div class="checks">
          {PROTOCOLS.map((protocol) => (
            <label key={protocol}>
              <input
                type="radio"
                name={fieldId('protocol')}
                checked={value.protocol === protocol}
                onChange={() => {
                  protocolChosen.current = true;
                  set({ protocol });
                }}
              />{' '}
              {PROTOCOL_LABELS[protocol]}
            </label>
          ))}
        </div>
        <p class="hint">{PROTOCOL_HINTS[value.protocol]}</p>
        {errorText('protocol')}
      </fieldset>
      <fieldset class="field" {...errorProps('maxAccuracyM')}>
        <legend>Précision GPS exigée</legend>
        <div class="field-row">
          <div class="field">
            <label for={fieldId('maxAccuracyM')}>Au plus (mètres)</label>
            <input
              id={fieldId('maxAccuracyM')}
              type="number"
              inputMode="numeric"
              min={MIN_CAMPAIGN_ACCURACY_M}
              max={MAX_CAMPAIGN_ACCURACY_M}
              step={1}
              value={value.maxAccuracyM}
              onInput={(event) => set({ maxAccuracyM: event.currentTarget.value })}
              {...errorProps('maxAccuracyM')}
            />
          </div>
          <div class="field">
            <label for={fieldId('accuracyRule')}>Au-delà</label>
            <select
              id={fieldId('accuracyRule')}
              value={value.accuracyRule}
              onChange={(event) => set({ accuracyRule: event.currentTarget.value as CampaignFormValue['accuracyRule'] })}
            >
              {ACCURACY_RULES.map((rule) => (
                <option key={rule} value={rule}>
                  {ACCURACY_RULE_LABELS[rule]}
                </option>
              ))}
            </select>
          </div>
        </div>
        {errorText('maxAccuracyM')}
        {errorText('accuracyRule')}
      </fieldset>
      <fieldset class="field" {...errorProps('agentIds')}>
        <legend>Agents</legend>
        {!value.commune && <p class="hint">Choisissez d’abord la commune : seuls ses agents peuvent être assignés.</p>}
        {value.commune && !agents.list && !agents.error && <p class="hint">Chargement des agents…</p>}
        <ApiErrorMessage error={agents.error} onRetry={agentsAnswer.reload} />
        {agents.list && agentChoices.length === 0 && <p class="hint">Aucun agent n’a cette commune dans son compte.</p>}
        {agentChoices.length > 0 && (
          <div class="checks agent-checks">
            {agentChoices.map((agent) => (
              <label key={agent.id}>
                <input
                  type="checkbox"
                  checked={value.agentIds.includes(agent.id)}
                  onChange={(event) =>
                    set({ agentIds: event.currentTarget.checked ? [...value.agentIds, agent.id] : value.agentIds.filter((agentId) => agentId !== agent.id) })
                  }
                />{' '}
                {agent.name}
              </label>
            ))}
          </div>
        )}
        {user.role === 'agent' && !campaign && <p class="hint">Vous y êtes assigné d’office.</p>}
        {errorText('agentIds')}
      </fieldset>
      <ApiErrorMessage error={errors.form} />
      {Object.keys(errors).some((key) => key !== 'form' && errors[key as keyof FieldErrors]) && (
        <p class="error" role="alert">
          Vérifiez les champs signalés.
        </p>
      )}
      <FormActions
        submitLabel={campaign ? 'Enregistrer les modifications' : 'Créer la campagne'}
        busyLabel="Enregistrement…"
        busy={busy}
        cancelHref={campaign ? formatRoute({ name: 'campagne', id: campaign.id }) : hrefTo('campagnes')}
      />
    </form>
  );
}

const PROTOCOL_HINTS: Record<Protocol, string> = {
  'map-check': `Appel tenu ${CALL_HOLD_S['map-check'] / 60} minute, dehors, sans bouger : ce qu’Arcep utilise pour vérifier les cartes des opérateurs.`,
  qos: `Appel de ${CALL_HOLD_S.qos / 60} minutes avec la qualité du son, SMS reçu en 10 s sur un second téléphone, et tests de données (envoi, téléchargement, page) contre ce serveur.`,
};

function mergeAgents(listed: CampaignAgent[], assigned: CampaignAgent[]): CampaignAgent[] {
  const byId = new Map(listed.map((agent) => [agent.id, agent]));
  for (const agent of assigned) if (!byId.has(agent.id)) byId.set(agent.id, agent);
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}
