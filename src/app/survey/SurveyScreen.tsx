import { useEffect, useRef, useState } from 'preact/hooks';
import { OPERATORS, OPERATOR_LABELS } from '../../domain/operators.ts';
import { surveyRules, type SurveyRules } from '../../domain/campaign.ts';
import { DEFAULT_PROTOCOL, type Protocol } from '../../domain/protocol.ts';
import type { FieldError, Reading } from '../../domain/reading.ts';
import { readingLevel, LEVEL_LABELS } from '../../domain/level.ts';
import { campaignFields, currentCampaign } from '../campaigns/current-campaign.ts';
import { outsideCampaignWarning } from '../campaigns/campaign-scope-source.ts';
import { describeProbe } from '../evidence/describe-evidence.ts';
import { saveFailureMessage } from '../evidence/save-failure.ts';
import { saveReading } from '../evidence/save-reading.ts';
import { formatTime } from '../format.ts';
import { fieldSettings } from '../shell/field-settings.ts';
import { sessionState } from '../shell/session-state.ts';
import { useStore } from '../shell/tiny-store.ts';
import { buildReading, signalFields } from './build-reading.ts';
import { CampaignBanner } from './CampaignBanner.tsx';
import { GuidedTests } from './GuidedTests.tsx';
import { ManualPosition } from './ManualPosition.tsx';
import { newUuid } from './new-uuid.ts';
import { PositionPanel } from './PositionPanel.tsx';
import { loadReadingSchemaSoon, readingSchema } from './reading-schema-on-demand.ts';
import { ReadingFields } from './ReadingFields.tsx';
import { nextOperator, spotAfterSave, stillAtSpot, type SameSpot } from './same-spot.ts';
import { choicesForNextReading, loadChoices, saveChoices, type SurveyChoices } from './survey-choices.ts';
import { staticFix, useFixHistory } from './static-position.ts';
import { useGeolocation, type Fix } from './use-geolocation.ts';
import { useTitle } from '../shell/use-title.ts';

type SaveState =
  | { kind: 'idle' }
  | { kind: 'confirm-accuracy'; accuracyM: number; maxAccuracyM: number }
  | { kind: 'saved'; message: string }
  | { kind: 'failed'; message: string };

/** The network measured for the reading just saved (src/app/evidence). */
type EvidenceState =
  | { kind: 'none' }
  | { kind: 'measuring'; id: string }
  | { kind: 'measured'; id: string; probe: NonNullable<Reading['probe']> }
  | { kind: 'skipped' };

export function SurveyScreen() {
  useTitle('Nouveau relevé');
  const geolocation = useGeolocation();
  const { loaded: campaignLoaded, campaign } = useStore(currentCampaign);
  const [choices, setChoices] = useState<SurveyChoices>(loadChoices);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' });
  const [evidence, setEvidence] = useState<EvidenceState>({ kind: 'none' });
  // A ref, not state: setting state before the put would redraw the screen before the reading
  // is on its way to IndexedDB. A second tap during a save is ignored.
  const saving = useRef(false);
  const [spot, setSpot] = useState<SameSpot | undefined>(undefined);
  const [manualFix, setManualFix] = useState<Fix>();
  const [focusRequest, setFocusRequest] = useState(0);
  const [saves, setSaves] = useState(0);
  // Outside a campaign the deployment's protocol applies (GET /api/v1/config, kept for offline starts).
  const [deploymentProtocol, setDeploymentProtocol] = useState<Protocol>(DEFAULT_PROTOCOL);
  useEffect(() => {
    let live = true;
    void fieldSettings().then((field) => live && field.protocol && setDeploymentProtocol(field.protocol));
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => loadReadingSchemaSoon('idle'), []);
  const rules: SurveyRules = surveyRules(campaign, deploymentProtocol);

  const operators = campaign?.operators ?? OPERATORS;
  // The phone's position wins over a point placed by hand as soon as there is one.
  const liveFix = geolocation.status === 'ok' ? geolocation.fix : manualFix;
  const fixHistory = useFixHistory(geolocation.status === 'ok' ? geolocation.fix : undefined);
  // After static tests, their fixes averaged; recording the same spot for another operator keeps the spot's fix.
  const averaged = spot?.following ? undefined : staticFix(fixHistory, choices, rules.maxAccuracyM);
  const fix = spot?.following ? spot.fix : (averaged ?? liveFix);

  const keep = (next: SurveyChoices) => {
    setChoices(next);
    saveChoices(next);
  };

  // Walking away ends the same spot.
  useEffect(() => {
    if (spot && !stillAtSpot(spot, liveFix)) setSpot(undefined);
  }, [spot, liveFix]);

  // A campaign surveys some operators only: a choice outside them must be made again.
  useEffect(() => {
    if (campaign && choices.operator && !campaign.operators.includes(choices.operator)) keep({ ...choices, operator: undefined });
  }, [campaign]);

  const clearErrors = (fields: string[]) =>
    setErrors((current) => current.filter((error) => !fields.some((key) => error.field === key || (key === 'signalMode' && error.field.startsWith('signal')))));

  /** The agent's own entries. Changing a test's answer by hand drops the guided test's record. */
  const update = (patch: Partial<SurveyChoices>) => {
    loadReadingSchemaSoon('now');
    const next = { ...choices, ...patch };
    if ('voice' in patch) delete next.callTest;
    if ('sms' in patch) delete next.smsTest;
    keep(next);
    clearErrors(Object.keys(patch));
    if (saveState.kind !== 'idle') setSaveState({ kind: 'idle' });
  };

  /** A guided test's answer, with its record. */
  const applyTest = (patch: Partial<SurveyChoices>) => {
    keep({ ...choices, ...patch });
    clearErrors(Object.keys(patch));
    if (saveState.kind !== 'idle') setSaveState({ kind: 'idle' });
  };

  const save = async (accuracyConfirmed: boolean) => {
    if (!fix || saving.current) return;
    const candidate = buildReading(newUuid(), choices, fix, new Date(), { ...campaignFields(campaign), protocol: rules.protocol });
    saving.current = true;
    try {
      // Loaded once the screen was drawn (reading-schema-on-demand.ts): a tap before that waits for it here.
      const validation = (await readingSchema()).validateReading(candidate);
      if (!validation.ok) {
        setErrors(validation.errors);
        setFocusRequest((n) => n + 1);
        setSaveState({ kind: 'failed', message: 'Le relevé n’est pas complet : corrigez les champs signalés.' });
        return;
      }
      if (fix.accuracyM > rules.maxAccuracyM && rules.accuracyRule === 'refuse') {
        setSaveState({ kind: 'failed', message: accuracyRefusal(fix.accuracyM, rules.maxAccuracyM) });
        return;
      }
      if (fix.accuracyM > rules.maxAccuracyM && !accuracyConfirmed) {
        setSaveState({ kind: 'confirm-accuracy', accuracyM: fix.accuracyM, maxAccuracyM: rules.maxAccuracyM });
        return;
      }
      const following = spot?.following === true;
      const reading = validation.reading;
      // IndexedDB first: nothing else may happen before the reading is safe on the device.
      // Attributed to whoever is signed in on the device, even offline or after expiry: only
      // their session will send it (the server attributes it again, from that session).
      // The same spot for another operator is another phone's SIM read on this one: this
      // phone's data service, measured for the spot's first reading, says nothing of it.
      const saved = await saveReading(reading, sessionState.get().session?.info.user.id, { probe: !following });
      setErrors([]);
      setSaves((n) => n + 1);
      keep(choicesForNextReading(choices));
      setSpot(spotAfterSave(spot, fix, reading.operator));
      setSaveState({
        kind: 'saved',
        message: `Relevé enregistré sur l’appareil (${LEVEL_LABELS[readingLevel(reading)].toLowerCase()}).${saved.detachedFromCampaign ? ` ${outsideCampaignWarning(1)}.` : ''}`,
      });
      if (following) {
        setEvidence({ kind: 'skipped' });
      } else {
        setEvidence({ kind: 'measuring', id: saved.id });
        void saved.evidence.then((probe) =>
          setEvidence((current) =>
            current.kind === 'measuring' && current.id === saved.id ? (probe ? { kind: 'measured', id: saved.id, probe } : { kind: 'none' }) : current,
          ),
        );
      }
    } catch (error) {
      setSaveState({ kind: 'failed', message: saveFailureMessage('Le relevé n’a pas pu être enregistré sur l’appareil', error) });
    } finally {
      saving.current = false;
    }
  };

  const followSpot = (operator: NonNullable<SurveyChoices['operator']>) => {
    if (!spot) return;
    setSpot({ ...spot, following: true });
    keep({ ...choices, operator, signalBars: undefined, signalDbm: '' });
    setSaveState({ kind: 'idle' });
    setEvidence({ kind: 'none' });
    setErrors([]);
  };

  const next = nextOperator(operators, spot);
  const level = estimatedLevel(choices);

  return (
    <section class="screen" aria-labelledby="survey-title">
      <h2 id="survey-title">Nouveau relevé</h2>
      {campaignLoaded && <CampaignBanner campaign={campaign} rules={rules} />}
      <PositionPanel state={geolocation} average={averaged} />
      {geolocation.status !== 'ok' && <ManualPosition geolocation={geolocation} fix={manualFix} onFix={setManualFix} />}
      {spot?.following && (
        <div class="same-spot following" role="region" aria-label="Même endroit">
          <p>
            Même endroit : la position du premier relevé est reprise (± {Math.round(spot.fix.accuracyM)} m, prise à {formatTime(spot.fix.takenAt)}).
          </p>
          <SpotChips operators={operators} spot={spot} />
          <button type="button" onClick={() => setSpot(undefined)}>
            Nouvelle position
          </button>
        </div>
      )}
      <form
        class="reading-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save(false);
        }}
      >
        <ReadingFields choices={choices} onChange={update} errors={errors} idPrefix="survey" operators={operators} focusRequest={focusRequest} />
        <GuidedTests campaignNumber={campaign?.testNumber} protocol={rules.protocol} spot={saves} choices={choices} onResult={applyTest} />
        {level && (
          <p class="level-preview">
            Niveau estimé :{' '}
            <span class={`level level-${level}`} title={LEVEL_LABELS[level]}>
              {level}
            </span>{' '}
            {LEVEL_LABELS[level]}
            {level !== estimatedLevel({ ...choices, voice: 'not-tested', sms: 'not-tested' }) && ' (plafonné : test en échec)'}
          </p>
        )}
        {saveState.kind === 'confirm-accuracy' && (
          <div class="confirm" role="alertdialog" aria-labelledby="accuracy-warning">
            <p id="accuracy-warning">
              La position est imprécise (± {Math.round(saveState.accuracyM)} m, au-delà de {saveState.maxAccuracyM} m). Le relevé pèsera moins comme preuve.
            </p>
            <div class="actions">
              <button type="button" class="primary" onClick={() => void save(true)}>
                Enregistrer quand même
              </button>
              <button type="button" onClick={() => setSaveState({ kind: 'idle' })}>
                Attendre une meilleure position
              </button>
            </div>
          </div>
        )}
        <button
          type="submit"
          class="primary big"
          disabled={!fix}
          onClick={(event) => {
            // Saved on the tap itself: the form's submission, which the click would start
            // next, first forces a style and layout of the whole screen (milliseconds ×4 on a
            // cheap phone) before the reading is on its way. Enter in a field clicks this
            // button too (implicit submission).
            event.preventDefault();
            void save(false);
          }}
        >
          Enregistrer le relevé
        </button>
        {!fix && <p class="hint">L’enregistrement sera possible dès que la position sera connue, ou placée sur la carte.</p>}
        <p class={`save-status ${saveState.kind}`} role="status">
          {saveState.kind === 'saved' || saveState.kind === 'failed' ? saveState.message : ''}
        </p>
        <p class={`evidence-status ${evidence.kind}`} role="status" aria-label="Mesure du réseau">
          {evidenceText(evidence)}
        </p>
      </form>
      {spot && !spot.following && next && (
        <div class="same-spot" role="region" aria-label="Même endroit">
          <SpotChips operators={operators} spot={spot} />
          <button type="button" class="primary" onClick={() => followSpot(next)}>
            Même endroit, autre opérateur : {OPERATOR_LABELS[next]}
          </button>
        </div>
      )}
    </section>
  );
}

/** The campaign's GPS requirement refuses the save: the figures, and what to do. */
export function accuracyRefusal(accuracyM: number, maxAccuracyM: number): string {
  return `Position trop imprécise pour cette campagne (± ${Math.round(accuracyM)} m) : elle exige ${maxAccuracyM} m au plus. Attendez une meilleure position, à découvert, ou placez le point sur la carte.`;
}

/** Which operators are done at this spot: the agent ticks through their phones. */
function SpotChips({ operators, spot }: { operators: readonly NonNullable<SurveyChoices['operator']>[]; spot: SameSpot }) {
  return (
    <ul class="chips" aria-label="Fait à cet endroit">
      {operators.map((operator) => {
        const done = spot.done.includes(operator);
        return (
          <li key={operator} class={done ? 'chip done' : 'chip'}>
            {OPERATOR_LABELS[operator]}
            {done ? ' ✓' : ''}
          </li>
        );
      })}
    </ul>
  );
}

function evidenceText(evidence: EvidenceState): string {
  switch (evidence.kind) {
    case 'none':
      return '';
    case 'measuring':
      return 'Mesure du réseau en cours…';
    case 'measured':
      return describeProbe(evidence.probe);
    case 'skipped':
      return 'Pas de mesure du réseau pour ce relevé : elle décrirait la carte SIM de ce téléphone, déjà mesurée à cet endroit.';
  }
}

/** The level the reading would get now, once what it needs is entered. */
function estimatedLevel(choices: SurveyChoices) {
  if (!choices.operator || !choices.technology) return undefined;
  const fields = signalFields(choices);
  if (choices.technology !== 'none' && fields.signalBars === undefined && fields.signalDbm === undefined) return undefined;
  if (fields.signalDbm !== undefined && !Number.isFinite(fields.signalDbm)) return undefined;
  return readingLevel({ technology: choices.technology, signalBars: fields.signalBars, signalDbm: fields.signalDbm, voice: choices.voice, sms: choices.sms });
}
