import { dialableNumber } from '../../domain/campaign.ts';
import { isoWithOffset } from '../../domain/time.ts';
import { describeCallTest } from '../evidence/describe-evidence.ts';
import { useState } from 'preact/hooks';
import { formatTime } from '../format.ts';
import { ANSWER_WINDOW_MS, CALL_TEST_MS, callDurationS, formatClock, isDialable, useAnswerExpiry, useNow, useRunningTest } from './guided-test.ts';
import type { SurveyChoices } from './survey-choices.ts';

type CallAnswer = 'ok' | 'failed' | 'dropped';

interface Props {
  /** The number to call or text (the campaign's, or the one the agent typed). */
  number: string;
  choices: SurveyChoices;
  onResult: (patch: Pick<SurveyChoices, 'voice' | 'callTest'>) => void;
}

const ANSWERS: { value: CallAnswer; label: string }[] = [
  { value: 'ok', label: 'Réussi' },
  { value: 'failed', label: 'N’a pas abouti' },
  { value: 'dropped', label: 'Coupé' },
];

/**
 * « Test d’appel »: the protocol Arcep checks its maps with, one minute, outdoors, handset
 * static. Opens the dialler, times the minute (the timer survives leaving the page for the
 * dialler and a reload), then asks how it went; the answer sets `voice` and `callTest`.
 */
export function CallTest({ number, choices, onResult }: Props) {
  const [test, setTest] = useRunningTest('call');
  // Ticks while the question waits too, so that it closes by itself (useAnswerExpiry).
  const now = useNow(test !== undefined);
  const timeUp = test !== undefined && (test.endedAt !== undefined || now - test.startedAt >= CALL_TEST_MS);
  const [unanswered, setUnanswered] = useState<number>();
  useAnswerExpiry('call', test, now, (expired) => {
    setTest(undefined);
    setUnanswered(expired.startedAt);
    onResult({ voice: 'not-tested', callTest: undefined });
  });

  const start = () => {
    setUnanswered(undefined);
    setTest({ startedAt: Date.now(), number });
  };
  const answer = (voice: CallAnswer) => {
    if (!test) return;
    onResult({ voice, callTest: { startedAt: isoWithOffset(new Date(test.startedAt)), durationS: callDurationS(test, Date.now()) } });
    setTest(undefined);
  };

  return (
    <section class="guided-test" aria-labelledby="call-test-title">
      <h3 id="call-test-title">Test d’appel</h3>
      {!test && (
        <>
          {choices.callTest && <p class="guided-result">{describeCallTest(choices)}</p>}
          {!choices.callTest && unanswered !== undefined && (
            <p class="guided-result" role="status">
              Test d’appel de {formatTime(unanswered)} : résultat non renseigné, resté sans réponse {ANSWER_WINDOW_MS / 60_000} minutes après l’appel.
            </p>
          )}
          <p class="hint">Protocole : un appel d’une minute, dehors, téléphone immobile.</p>
          {isDialable(number) ? (
            <a class="button-link primary" href={`tel:${dialableNumber(number)}`} onClick={start}>
              {choices.callTest ? 'Refaire le test d’appel' : 'Lancer le test d’appel'}
            </a>
          ) : (
            <button type="button" disabled>
              Lancer le test d’appel
            </button>
          )}
        </>
      )}
      {test && !timeUp && (
        <div class="guided-running" role="timer" aria-live="off">
          <p class="countdown">
            Appel en cours vers {test.number} : reste <strong>{formatClock(test.startedAt + CALL_TEST_MS - now)}</strong>
          </p>
          <p class="hint">Restez dehors, téléphone immobile, jusqu’à la fin de la minute.</p>
          <div class="actions">
            <button type="button" class="primary" onClick={() => setTest({ ...test, endedAt: Date.now() })}>
              Appel terminé
            </button>
            <button type="button" onClick={() => setTest(undefined)}>
              Annuler le test
            </button>
          </div>
        </div>
      )}
      {test && timeUp && (
        <div class="guided-question" role="group" aria-labelledby="call-test-question">
          <p id="call-test-question">Comment s’est passé l’appel ?</p>
          <div class="actions">
            {ANSWERS.map(({ value, label }) => (
              <button key={value} type="button" onClick={() => answer(value)}>
                {label}
              </button>
            ))}
            <button type="button" class="link-button" onClick={() => setTest(undefined)}>
              Annuler le test
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
