import { dialableNumber } from '../../domain/campaign.ts';
import { isoWithOffset } from '../../domain/time.ts';
import { describeSmsTest } from '../evidence/describe-evidence.ts';
import { useState } from 'preact/hooks';
import { formatTime } from '../format.ts';
import { ANSWER_WINDOW_MS, formatClock, isDialable, useAnswerExpiry, useNow, useRunningTest } from './guided-test.ts';
import type { SurveyChoices } from './survey-choices.ts';

interface Props {
  /** The number to call or text (the campaign's, or the one the agent typed). */
  number: string;
  choices: SurveyChoices;
  onResult: (patch: Pick<SurveyChoices, 'sms' | 'smsTest'>) => void;
}

/**
 * « Test SMS »: opens the messaging app on the test number, then asks whether the message
 * left; the answer sets `sms` and `smsTest`. The start survives a reload, like the call's.
 */
export function SmsTest({ number, choices, onResult }: Props) {
  const [test, setTest] = useRunningTest('sms');
  const now = useNow(test !== undefined);
  const [unanswered, setUnanswered] = useState<number>();
  useAnswerExpiry('sms', test, now, (expired) => {
    setTest(undefined);
    setUnanswered(expired.startedAt);
    onResult({ sms: 'not-tested', smsTest: undefined });
  });

  const start = () => {
    setUnanswered(undefined);
    setTest({ startedAt: Date.now(), number });
  };
  const answer = (sms: 'ok' | 'failed') => {
    if (!test) return;
    onResult({ sms, smsTest: { startedAt: isoWithOffset(new Date(test.startedAt)) } });
    setTest(undefined);
  };

  return (
    <section class="guided-test" aria-labelledby="sms-test-title">
      <h3 id="sms-test-title">Test SMS</h3>
      {!test && (
        <>
          {choices.smsTest && <p class="guided-result">{describeSmsTest(choices)}</p>}
          {!choices.smsTest && unanswered !== undefined && (
            <p class="guided-result" role="status">
              Test SMS de {formatTime(unanswered)} : résultat non renseigné, resté sans réponse {ANSWER_WINDOW_MS / 60_000} minutes après l’envoi.
            </p>
          )}
          {isDialable(number) ? (
            <a class="button-link" href={`sms:${dialableNumber(number)}`} onClick={start}>
              {choices.smsTest ? 'Refaire le test SMS' : 'Lancer le test SMS'}
            </a>
          ) : (
            <button type="button" disabled>
              Lancer le test SMS
            </button>
          )}
        </>
      )}
      {test && (
        <div class="guided-question" role="group" aria-labelledby="sms-test-question">
          <p id="sms-test-question">
            SMS vers {test.number}, envoyé il y a {formatClock(now - test.startedAt)} : est-il parti ?
          </p>
          <p class="hint">Attendez que le téléphone confirme l’envoi ou signale l’échec.</p>
          <div class="actions">
            <button type="button" onClick={() => answer('ok')}>
              Parti
            </button>
            <button type="button" onClick={() => answer('failed')}>
              Échec de l’envoi
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
