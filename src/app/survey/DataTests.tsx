import { useEffect, useRef, useState } from 'preact/hooks';
import { DEFAULT_FIELD_SETTINGS, type DataTestSettings } from '../../domain/field-settings.ts';
import { describeDataTest } from '../evidence/describe-evidence.ts';
import { browserDataTestDeps, DATA_TEST_STEP_LABELS, dataTestCostBytes, formatMegabytes, runDataTests, type DataTestStep } from '../evidence/data-tests.ts';
import { fieldSettings } from '../shell/field-settings.ts';
import { sessionState } from '../shell/session-state.ts';
import type { SurveyChoices } from './survey-choices.ts';

interface Props {
  /** Changes at each save: a run started before it belongs to the reading saved, not the next one. */
  spot: number;
  choices: SurveyChoices;
  onResult: (patch: Pick<SurveyChoices, 'dataTest'>) => void;
}

/**
 * « Tests de données » (QoS only): upload, download and page against this server, on the
 * agent's request. Never blocks the save: a reading saved while they run goes without them
 * (the agent runs them again for the next one). What one run costs the data plan is said
 * before the first.
 */
export function DataTests({ spot, choices, onResult }: Props) {
  const [settings, setSettings] = useState<DataTestSettings>(DEFAULT_FIELD_SETTINGS.dataTest);
  const [running, setRunning] = useState<DataTestStep | 'starting'>();
  const mounted = useRef(true);
  const currentSpot = useRef(spot);
  currentSpot.current = spot;
  useEffect(() => {
    void fieldSettings().then((field) => mounted.current && field.dataTest && setSettings(field.dataTest));
    return () => {
      mounted.current = false;
    };
  }, []);
  if (!settings.enabled) return null;

  const run = async () => {
    setRunning('starting');
    const startedFor = spot;
    try {
      const dataTest = await runDataTests(
        settings,
        browserDataTestDeps(() => sessionState.get().session?.info.csrfToken),
        (step) => mounted.current && setRunning(step),
      );
      if (mounted.current && currentSpot.current === startedFor) onResult({ dataTest });
    } finally {
      if (mounted.current) setRunning(undefined);
    }
  };

  return (
    <section class="guided-test" aria-labelledby="data-tests-title">
      <h3 id="data-tests-title">Tests de données</h3>
      {choices.dataTest && !running && <p class="guided-result">{describeDataTest(choices.dataTest)}</p>}
      <p class="hint">
        Contre ce serveur : envoi de 1 Mo, téléchargement pendant {settings.downloadMaxS} s au plus, page de {Math.round(settings.pageBytes / 100_000) / 10} Mo.
        Coût : {formatMegabytes(dataTestCostBytes(settings))} de forfait par essai. Facultatif : le relevé s’enregistre sans attendre.
      </p>
      {running ? (
        <p class="guided-running" role="status">
          Test en cours : {running === 'starting' ? 'préparation…' : `${DATA_TEST_STEP_LABELS[running]}…`}
        </p>
      ) : (
        <button type="button" onClick={() => void run()}>
          {choices.dataTest ? 'Refaire les tests de données' : 'Lancer les tests de données'}
        </button>
      )}
    </section>
  );
}
