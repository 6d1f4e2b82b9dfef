import { useState } from 'preact/hooks';
import type { ZoneAnswer } from '../../domain/api/index.ts';
import { OPERATOR_LABELS, OPERATORS, type Operator } from '../../domain/operators.ts';
import { peopleStatement } from '../../domain/population.ts';
import { deadlineText, frenchDay, isOverdue, type ZoneFollowUpPatch } from '../../domain/zone-follow-up.ts';
import { isOneOf } from '../../domain/one-of.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import { FormActions } from '../shell/FormActions.tsx';
import { useAction } from '../shell/use-action.ts';
import { formatRoute } from '../shell/routes.ts';
import { editFollowUp, remeasureZone } from './follow-up-api.ts';

/** Today on the reviewer's calendar, YYYY-MM-DD. */
export function localToday(): string {
  return new Date().toLocaleDateString('sv-SE');
}

/**
 * A zone's people and points of interest, and its life after the arrêté: the arrêté, the
 * leader operator, the countdown to the deadline, the site in service; the form that edits
 * them and « Mesurer à nouveau ».
 */
export function ZoneFollowUpPanel({ zone, onChange }: { zone: ZoneAnswer; onChange(zone: ZoneAnswer): void }) {
  const [editing, setEditing] = useState(false);
  const [remeasuring, setRemeasuring] = useState(false);
  const { followUp } = zone;
  const countdown = deadlineText(followUp, localToday());
  const afterArrete = zone.status === 'arretee' || zone.status === 'couverte';
  return (
    <div class="zone-follow-up">
      <p class="reading-meta zone-people">{peopleStatement(zone.people)}</p>
      {zone.pointsOfInterest.length > 0 && (
        <p class="reading-meta">
          Points d’intérêt à couvrir : {zone.pointsOfInterest.map((point) => (point.kind ? `${point.name} (${point.kind})` : point.name)).join(', ')}
        </p>
      )}
      {followUp.arreteDate && (
        <p class="reading-meta">
          Arrêté du {frenchDay(followUp.arreteDate)}
          {followUp.arreteReference ? ` (${followUp.arreteReference})` : ''}
          {followUp.leaderOperator ? ` · opérateur leader : ${OPERATOR_LABELS[followUp.leaderOperator]}` : ''}
          {followUp.servicedPlot ? ' · terrain viabilisé fourni par la commune' : ''}
        </p>
      )}
      {countdown && <p class={`zone-countdown${isOverdue(followUp, localToday()) ? ' overdue' : ''}`}>{countdown.replace(/^./, (c) => c.toUpperCase())}</p>}
      {followUp.remeasureCampaignId && (
        <p class="reading-meta">
          Nouvelle mesure : <a href={formatRoute({ name: 'campagne', id: followUp.remeasureCampaignId })}>avancement de la campagne</a>
        </p>
      )}
      {editing ? (
        <FollowUpForm
          zone={zone}
          onSaved={(saved) => {
            onChange(saved);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : remeasuring ? (
        <RemeasureForm
          zone={zone}
          onDone={(saved) => {
            onChange(saved);
            setRemeasuring(false);
          }}
          onCancel={() => setRemeasuring(false)}
        />
      ) : (
        afterArrete && (
          <div class="actions">
            <button type="button" onClick={() => setEditing(true)}>
              Suivi après l’arrêté
            </button>
            <button type="button" onClick={() => setRemeasuring(true)}>
              Mesurer à nouveau
            </button>
          </div>
        )
      )}
    </div>
  );
}

/** The select's value as a leader: an operator, or '' for « Pas encore désigné ». */
function leaderChoice(value: string): Operator | '' {
  return isOneOf(OPERATORS, value) ? value : '';
}

function FollowUpForm({ zone, onSaved, onCancel }: { zone: ZoneAnswer; onSaved(zone: ZoneAnswer): void; onCancel(): void }) {
  const { followUp } = zone;
  const [arreteDate, setArreteDate] = useState(followUp.arreteDate ?? '');
  const [arreteReference, setArreteReference] = useState(followUp.arreteReference ?? '');
  const [leaderOperator, setLeaderOperator] = useState<Operator | ''>(followUp.leaderOperator ?? '');
  const [servicedPlot, setServicedPlot] = useState(followUp.servicedPlot);
  const [inServiceDate, setInServiceDate] = useState(followUp.inServiceDate ?? '');
  const saving = useAction();
  const id = (field: string) => `zone-${zone.id}-${field}`;

  const save = async () => {
    const patch: ZoneFollowUpPatch = {
      arreteDate: arreteDate || null,
      arreteReference: arreteReference.trim() || null,
      leaderOperator: leaderOperator || null,
      servicedPlot,
      inServiceDate: inServiceDate || null,
    };
    await saving.run(async () => onSaved(await editFollowUp(zone.id, patch)));
  };

  return (
    <form
      class="zone-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <div class="field">
        <label for={id('arrete-date')}>Date de l’arrêté</label>
        <input id={id('arrete-date')} type="date" value={arreteDate} onInput={(event) => setArreteDate(event.currentTarget.value)} />
      </div>
      <div class="field">
        <label for={id('arrete-reference')}>Référence de l’arrêté</label>
        <input
          id={id('arrete-reference')}
          type="text"
          maxLength={200}
          value={arreteReference}
          onInput={(event) => setArreteReference(event.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for={id('leader')}>Opérateur leader</label>
        <select id={id('leader')} value={leaderOperator} onChange={(event) => setLeaderOperator(leaderChoice(event.currentTarget.value))}>
          <option value="">Pas encore désigné</option>
          {OPERATORS.map((operator) => (
            <option key={operator} value={operator}>
              {OPERATOR_LABELS[operator]}
            </option>
          ))}
        </select>
      </div>
      <div class="field checkbox">
        <input id={id('serviced-plot')} type="checkbox" checked={servicedPlot} onChange={(event) => setServicedPlot(event.currentTarget.checked)} />
        <label for={id('serviced-plot')}>La commune fournit un terrain viabilisé (échéance à 12 mois au lieu de 24)</label>
      </div>
      <div class="field">
        <label for={id('in-service')}>Date de mise en service du site</label>
        <input id={id('in-service')} type="date" value={inServiceDate} onInput={(event) => setInServiceDate(event.currentTarget.value)} />
      </div>
      <FormActions submitLabel="Enregistrer le suivi" busy={saving.busy} onCancel={onCancel} />
      <ApiErrorMessage error={saving.error} />
    </form>
  );
}

/** The re-measurement campaign's period: from today, a month by default. */
function RemeasureForm({ zone, onDone, onCancel }: { zone: ZoneAnswer; onDone(zone: ZoneAnswer): void; onCancel(): void }) {
  const today = localToday();
  const [startsOn, setStartsOn] = useState(today);
  const [endsOn, setEndsOn] = useState(() => {
    const end = new Date(`${today}T12:00:00`);
    end.setDate(end.getDate() + 30);
    return end.toLocaleDateString('sv-SE');
  });
  const creating = useAction();
  const id = (field: string) => `zone-${zone.id}-remeasure-${field}`;

  const create = async () => {
    await creating.run(async () => onDone((await remeasureZone(zone.id, { startsOn, endsOn })).zone));
  };

  return (
    <form
      class="zone-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void create();
      }}
    >
      <p class="hint">Une campagne sur la commune de la zone, tous opérateurs ; le dossier comparera ses relevés à ceux d’avant l’arrêté.</p>
      <div class="field">
        <label for={id('start')}>Début</label>
        <input id={id('start')} type="date" value={startsOn} onInput={(event) => setStartsOn(event.currentTarget.value)} />
      </div>
      <div class="field">
        <label for={id('end')}>Fin</label>
        <input id={id('end')} type="date" value={endsOn} onInput={(event) => setEndsOn(event.currentTarget.value)} />
      </div>
      <FormActions submitLabel="Créer la campagne" busy={creating.busy} onCancel={onCancel} />
      <ApiErrorMessage error={creating.error} />
    </form>
  );
}
