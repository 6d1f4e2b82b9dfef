import { dialableNumber } from '../../domain/campaign.ts';
import { CALL_HOLD_S, type CallAudio, type Protocol } from '../../domain/protocol.ts';
import { isoWithOffset } from '../../domain/time.ts';
import { describeCallTest } from '../evidence/describe-evidence.ts';
import { useState } from 'preact/hooks';
import { formatTime } from '../format.ts';
import { ANSWER_WINDOW_MS, callDurationS, formatClock, holdMsOf, isDialable, useAnswerExpiry, useNow, useRunningTest } from './guided-test.ts';
import type { SurveyChoices } from './survey-choices.ts';

type CallAnswer = 'ok' | 'failed' | 'dropped';

interface Props {
  /** The number to call or text (the campaign's, or the one the agent typed). */
  number: string;
  /** The protocol the reading follows: its hold time, and under QoS the audio question. */
  protocol: Protocol;
  choices: SurveyChoices;
  onResult: (patch: Pick<SurveyChoices, 'voice' | 'callTest'>) => void;
}

const ANSWERS: { value: CallAnswer; label: string }[] = [
  { value: 'ok', label: 'Réussi' },
  { value: 'failed', label: 'N’a pas abouti' },
  { value: 'dropped', label: 'Coupé' },
];

const QOS_ANSWERS: { value: CallAnswer; label: string }[] = [
  { value: 'ok', label: 'Oui, il a tenu' },
  { value: 'dropped', label: 'Non, coupé' },
  { value: 'failed', label: 'N’a pas abouti' },
];

const holdWords = (protocol: Protocol) => (CALL_HOLD_S[protocol] === 60 ? 'une minute' : `${CALL_HOLD_S[protocol] / 60} minutes`);

/**
 * « Test d’appel »: a call held for the protocol's time (1 minute for the map check, 2 for
 * QoS), outdoors, handset static. Opens the dialler, times the call (the timer survives
 * leaving the page for the dialler and a reload), then asks how it went; under QoS, whether
 * it held and then whether the audio stayed understandable (the phone cannot measure it).
 * The answer sets `voice` and `callTest`.
 */
export function CallTest({ number, protocol, choices, onResult }: Props) {
  const [test, setTest] = useRunningTest('call');
  // Ticks while the question waits too, so that it closes by itself (useAnswerExpiry).
  const now = useNow(test !== undefined);
  const timeUp = test !== undefined && (test.endedAt !== undefined || now - test.startedAt >= holdMsOf(test));
  const [unanswered, setUnanswered] = useState<number>();
  useAnswerExpiry('call', test, now, (expired) => {
    setTest(undefined);
    setUnanswered(expired.startedAt);
    onResult({ voice: 'not-tested', callTest: undefined });
  });

  const start = () => {
    setUnanswered(undefined);
    setTest({ startedAt: Date.now(), number, holdMs: CALL_HOLD_S[protocol] * 1000 });
  };
  const record = (voice: CallAnswer, audio?: CallAudio) => {
    if (!test) return;
    const callTest = { startedAt: isoWithOffset(new Date(test.startedAt)), durationS: callDurationS(test, Date.now()), ...(audio && { audio }) };
    onResult({ voice, callTest });
    setTest(undefined);
  };
  // Under QoS a call that held has one more question: its audio.
  const answer = (voice: CallAnswer) => (protocol === 'qos' && voice === 'ok' && test ? setTest({ ...test, held: true }) : record(voice));

  return (
    <section class="guided-test" aria-labelledby="call-test-title">
      <h3 id="call-test-title">Test d’appel</h3>
      {!test && (
        <>
          {choices.callTest && <p class="guided-result">{describeCallTest({ ...choices, protocol })}</p>}
          {!choices.callTest && unanswered !== undefined && (
            <p class="guided-result" role="status">
              Test d’appel de {formatTime(unanswered)} : résultat non renseigné, resté sans réponse {ANSWER_WINDOW_MS / 60_000} minutes après l’appel.
            </p>
          )}
          <p class="hint">
            Protocole : un appel de {holdWords(protocol)}, dehors, téléphone immobile{protocol === 'qos' ? ', puis la qualité du son' : ''}.
          </p>
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
            Appel en cours vers {test.number} : reste <strong>{formatClock(test.startedAt + holdMsOf(test) - now)}</strong>
          </p>
          <p class="hint">Restez dehors, téléphone immobile, jusqu’à la fin {holdMsOf(test) === 60_000 ? 'de la minute' : 'des deux minutes'}.</p>
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
      {test && timeUp && !test.held && (
        <div class="guided-question" role="group" aria-labelledby="call-test-question">
          <p id="call-test-question">{protocol === 'qos' ? 'L’appel a-t-il tenu ?' : 'Comment s’est passé l’appel ?'}</p>
          <div class="actions">
            {(protocol === 'qos' ? QOS_ANSWERS : ANSWERS).map(({ value, label }) => (
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
      {test && timeUp && test.held && (
        <div class="guided-question" role="group" aria-labelledby="call-audio-question">
          <p id="call-audio-question">Le son est-il resté compréhensible ?</p>
          <p class="hint">Le téléphone ne peut pas mesurer lui-même la qualité du son : c’est votre jugement (mots hachés, coupures, écho = dégradé).</p>
          <div class="actions">
            <button type="button" onClick={() => record('ok', 'good')}>
              Oui, compréhensible
            </button>
            <button type="button" onClick={() => record('ok', 'poor')}>
              Non, son dégradé
            </button>
            <button type="button" class="link-button" onClick={() => setTest(undefined)}>
              Annuler le test
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
