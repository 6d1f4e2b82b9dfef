import { useState } from 'preact/hooks';
import { OPERATORS, OPERATOR_LABELS } from '../../domain/operators.ts';
import type { FieldError } from '../../domain/reading.ts';
import {
  MAX_REPORT_NOTE_LENGTH,
  PROBLEMS,
  PROBLEM_LABELS,
  PUBLIC_PRECISION_M,
  REPORT_SETTINGS,
  validateReport,
  type ReportSetting,
} from '../../domain/report.ts';
import { addReport, deleteReport, getReport, type ReportRecord } from '../../store/reports.ts';
import { announce } from '../../sync/channel.ts';
import { formatTime } from '../format.ts';
import { askPersistentStorageOnce } from '../shell/persist-storage.ts';
import { useStore } from '../shell/tiny-store.ts';
import { ChoiceGroup, choiceGroupId } from '../survey/ChoiceGroup.tsx';
import { ErrorSummary, type FieldTargets } from '../survey/ErrorSummary.tsx';
import { gradeAccuracy, ACCURACY_LABELS } from '../survey/accuracy.ts';
import { newUuid } from '../survey/new-uuid.ts';
import { useGeolocation } from '../survey/use-geolocation.ts';
import { outboxState, refreshOutbox } from '../sync/outbox-state.ts';
import { registerBackgroundSync } from '../sync/request-sync.ts';
import { sendNow } from '../sync/sync-scheduler.ts';
import { buildReport, type ReportChoices, type ReportPosition } from './build-report.ts';
import { LazyPinMap } from './LazyPinMap.tsx';
import type { Pin } from './PinMap.tsx';
import { useTitle } from '../shell/use-title.ts';
import { hrefTo } from '../shell/routes.ts';

const SETTING_LABELS: Record<ReportSetting, string> = { outdoor: 'Dehors', indoor: 'À l’intérieur' };
/** Beyond this, the GPS cannot tell one street from the next: the map is offered instead. */
const POOR_GPS_M = 100;

const STATE_LABELS = { pending: 'En attente d’envoi', sent: 'Envoyé', refused: 'Refusé' } as const;

/** The form's fields in its order, each with the element its error leads to. */
const FIELD_TARGETS: FieldTargets = [
  ['operator', choiceGroupId('report-operator')],
  ['problem', choiceGroupId('report-problem')],
  ['setting', choiceGroupId('report-setting')],
  ['note', 'report-note'],
  ['position', 'report-position'],
];
/** The wire fields of a position: without one, a single error says how to give it. */
const POSITION_FIELDS = new Set(['lat', 'lon', 'accuracyM', 'positionSource']);

/**
 * « Signaler une zone sans réseau »: a resident, no account, a few taps. Saved on the phone
 * first, sent when the network allows (same outbox machinery as the agents' readings).
 */
export function ReportScreen() {
  useTitle('Signaler une zone sans réseau');
  const geolocation = useGeolocation();
  const { reports } = useStore(outboxState);
  const [choices, setChoices] = useState<ReportChoices>({ setting: 'outdoor', note: '' });
  const [positionChoice, setPositionChoice] = useState<'gps' | 'map'>();
  const [pin, setPin] = useState<Pin>();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [status, setStatus] = useState<{ kind: 'saved' | 'sent' | 'failed'; message: string }>();
  const [saving, setSaving] = useState(false);
  const [focusRequest, setFocusRequest] = useState(0);

  const fix = geolocation.status === 'ok' ? geolocation.fix : undefined;
  const gpsGood = fix !== undefined && fix.accuracyM <= POOR_GPS_M;
  const gpsHopeless = geolocation.status === 'denied' || geolocation.status === 'unsupported' || geolocation.status === 'unavailable';
  const mode = positionChoice ?? (gpsGood || !(gpsHopeless || fix) ? 'gps' : 'map');

  const position: ReportPosition | undefined =
    mode === 'map' ? pin && { ...pin, source: 'map' } : fix && { lat: fix.lat, lon: fix.lon, accuracyM: fix.accuracyM, source: 'gps' };

  const update = (patch: Partial<ReportChoices>) => {
    setChoices({ ...choices, ...patch });
    setErrors((current) => current.filter((error) => !Object.keys(patch).includes(error.field)));
    setStatus(undefined);
  };

  const submit = async () => {
    if (saving) return;
    const validation = validateReport(buildReport(newUuid(), choices, position, new Date()));
    if (!validation.ok) {
      const positionMissing: FieldError[] = position
        ? []
        : [
            {
              field: 'position',
              message:
                mode === 'map'
                  ? 'Touchez la carte à l’endroit où le téléphone ne passe pas.'
                  : 'La position n’est pas encore connue : attendez-la, ou placez le point sur une carte.',
            },
          ];
      setErrors([...positionMissing, ...validation.errors.filter((error) => position || !POSITION_FIELDS.has(error.field))]);
      setStatus({ kind: 'failed', message: 'Il manque une réponse : voyez les champs signalés.' });
      setFocusRequest((n) => n + 1);
      return;
    }
    setSaving(true);
    try {
      // On the phone first: nothing is lost if the network is gone.
      await addReport(validation.report);
      setErrors([]);
      setChoices({ ...choices, problem: undefined, note: '' });
      setPin(undefined);
      setStatus({ kind: 'saved', message: 'Signalement enregistré sur ce téléphone : il partira tout seul dès que le réseau revient.' });
      announce({ type: 'outbox-changed', ids: [] });
      await refreshOutbox([]);
      void askPersistentStorageOnce();
      void registerBackgroundSync();
      await sendNow();
      if ((await getReport(validation.report.id))?.state === 'sent') setStatus({ kind: 'sent', message: 'Merci : votre signalement a été envoyé.' });
    } catch (error) {
      setStatus({ kind: 'failed', message: `Le signalement n’a pas pu être enregistré : ${String(error)}` });
    } finally {
      setSaving(false);
    }
  };

  const errorFor = (field: string) => errors.find((error) => error.field === field)?.message;
  const placePin = (placed: Pin) => {
    setPin(placed);
    setErrors((current) => current.filter((error) => error.field !== 'position'));
  };

  return (
    <section class="screen report-screen" aria-labelledby="report-title">
      <h2 id="report-title">Signaler une zone sans réseau</h2>
      <p class="hint">Sans compte. Fonctionne aussi sans réseau : le signalement partira dès que le téléphone capte.</p>
      <form
        class="report-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <ErrorSummary title="Le signalement n’est pas complet :" errors={errors} targets={FIELD_TARGETS} focusRequest={focusRequest} />
        <ChoiceGroup
          legend="Votre opérateur"
          name="report-operator"
          options={OPERATORS.map((value) => ({ value, label: OPERATOR_LABELS[value] }))}
          value={choices.operator}
          onChange={(operator) => update({ operator })}
          error={errorFor('operator')}
        />
        <ChoiceGroup
          legend="Qu’est-ce qui ne marche pas ?"
          name="report-problem"
          options={PROBLEMS.map((value) => ({ value, label: PROBLEM_LABELS[value] }))}
          value={choices.problem}
          onChange={(problem) => update({ problem })}
          error={errorFor('problem')}
        />
        <ChoiceGroup
          legend="Où étiez-vous ?"
          name="report-setting"
          options={REPORT_SETTINGS.map((value) => ({ value, label: SETTING_LABELS[value] }))}
          value={choices.setting}
          onChange={(setting) => update({ setting })}
          error={errorFor('setting')}
        />
        <div class="field">
          <label for="report-note">Précision (facultatif)</label>
          <textarea
            id="report-note"
            rows={2}
            maxLength={MAX_REPORT_NOTE_LENGTH}
            placeholder="ex. aucun appel possible dans le hameau depuis mars"
            value={choices.note}
            onInput={(event) => update({ note: event.currentTarget.value })}
          />
          <p class="hint">N’y mettez ni nom, ni numéro de téléphone, ni adresse.</p>
          {errorFor('note') && <p class="error">{errorFor('note')}</p>}
        </div>
        {/* Last: the map that opens when the phone has no position grows below the questions, not under the finger (no layout shift). */}
        <fieldset id="report-position" tabIndex={-1} class="field" aria-labelledby="report-position-title">
          <legend id="report-position-title">Où ?</legend>
          {mode === 'gps' ? (
            <div class={`position ${fix ? gradeAccuracy(fix.accuracyM) : 'waiting'}`} role="group" aria-label="Position">
              <p>
                {fix ? (
                  <>
                    Position du téléphone : <strong>± {Math.round(fix.accuracyM)} m</strong> ({ACCURACY_LABELS[gradeAccuracy(fix.accuracyM)]})
                  </>
                ) : (
                  'Recherche de la position…'
                )}
              </p>
              <button type="button" class="link-button" onClick={() => setPositionChoice('map')}>
                Placer le point sur une carte plutôt
              </button>
            </div>
          ) : (
            <div class="position-map" role="group" aria-label="Position">
              <p class="hint">
                {geolocation.status === 'denied'
                  ? 'La localisation est refusée : touchez la carte à l’endroit concerné.'
                  : fix && !gpsGood
                    ? `Le GPS est imprécis (± ${Math.round(fix.accuracyM)} m) : touchez la carte à l’endroit concerné.`
                    : 'Touchez la carte à l’endroit concerné.'}
              </p>
              <LazyPinMap centre={fix} pin={pin} onPin={placePin} />
              <p class="pin-status" role="status">
                {pin ? `Point placé (à ± ${pin.accuracyM} m près).` : 'Aucun point placé.'}
              </p>
              {fix && (
                <button type="button" class="link-button" onClick={() => setPositionChoice('gps')}>
                  Utiliser la position du téléphone (± {Math.round(fix.accuracyM)} m)
                </button>
              )}
            </div>
          )}
          {errorFor('position') && <p class="error">{errorFor('position')}</p>}
        </fieldset>
        <button type="submit" class="primary big" disabled={saving}>
          Envoyer le signalement
        </button>
        <p class={`save-status ${status?.kind ?? ''}`} role="status">
          {status?.message ?? ''}
        </p>
      </form>

      {reports.length > 0 && (
        <section aria-labelledby="my-reports-title" class="my-reports">
          <h3 id="my-reports-title">Vos signalements sur ce téléphone</h3>
          <ul class="readings" aria-label="Vos signalements">
            {reports.map((record) => (
              <ReportItem key={record.id} record={record} />
            ))}
          </ul>
        </section>
      )}

      <section class="privacy" aria-labelledby="privacy-title">
        <h3 id="privacy-title">Vos données (RGPD)</h3>
        <ul>
          <li>
            <strong>Ce qui est gardé :</strong> l’endroit (et sa précision), l’opérateur, ce qui ne marche pas, dedans ou dehors, la date et l’heure, et votre
            précision si vous en écrivez une. Rien d’autre.
          </li>
          <li>
            <strong>Pourquoi :</strong> repérer les zones mal couvertes pour les proposer au dispositif de couverture ciblée du New Deal Mobile (équipe projet
            du département et de la préfecture).
          </li>
          <li>
            <strong>Sans compte :</strong> ni nom, ni e-mail, ni numéro de téléphone, ni identifiant de l’appareil, ni cookie. Votre adresse IP n’est pas
            conservée : elle sert seulement, quelques minutes, à limiter les abus.
          </li>
          <li>
            <strong>Qui voit quoi :</strong> la position exacte et la précision écrite ne sont vues que par les agents chargés d’instruire les signalements du
            département. Tout ce qui est montré publiquement est arrondi à une maille de {PUBLIC_PRECISION_M} m et à l’heure, sans la précision écrite.
          </li>
          <li>
            <strong>Combien de temps :</strong> pendant l’enquête de couverture, le temps d’instruire la zone. Sur ce téléphone, le signalement reste en mémoire
            jusqu’à son envoi. Pour en faire effacer un, donnez au département sa date, son heure et son lieu.
          </li>
        </ul>
      </section>
      <p class="hint">
        <a href={hrefTo('a-propos')}>À propos et crédits</a> · <a href={hrefTo('donnees-ouvertes')}>Données ouvertes</a>
      </p>
    </section>
  );
}

function ReportItem({ record }: { record: ReportRecord }) {
  const { report } = record;
  return (
    <li class={`reading ${record.state}`} data-state={record.state}>
      <div class="reading-head">
        <span class="reading-what">
          {PROBLEM_LABELS[report.problem]} · {OPERATOR_LABELS[report.operator]}
        </span>
        <span class={`state state-${record.state}`}>{STATE_LABELS[record.state]}</span>
      </div>
      <p class="reading-meta">
        {formatTime(report.reportedAt)} · {SETTING_LABELS[report.setting]}
        {report.note && <> · « {report.note} »</>}
      </p>
      {record.refusal && (
        <ul class="refusal">
          {record.refusal.errors.map((error, i) => (
            <li key={i}>{error.message}</li>
          ))}
        </ul>
      )}
      {record.state !== 'pending' && (
        <div class="actions">
          <button
            type="button"
            onClick={() =>
              void (async () => {
                // Already with the server (or refused by it): the phone need not keep a copy.
                await deleteReport(record.id);
                announce({ type: 'outbox-changed', ids: [] });
                await refreshOutbox([]);
              })()
            }
          >
            Effacer de ce téléphone
          </button>
        </div>
      )}
    </li>
  );
}
