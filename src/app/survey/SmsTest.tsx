import { dialableNumber } from '../../domain/campaign.ts';
import { SMS_MAX_DELAY_S, type Protocol } from '../../domain/protocol.ts';
import { isoWithOffset } from '../../domain/time.ts';
import { describeSmsTest } from '../evidence/describe-evidence.ts';
import { useState } from 'preact/hooks';
import { formatTime } from '../format.ts';
import { ANSWER_WINDOW_MS, formatClock, isDialable, useAnswerExpiry, useNow, useRunningTest, type RunningTest } from './guided-test.ts';
import type { SurveyChoices } from './survey-choices.ts';

interface Props {
  /** The number to call or text (the campaign's, or the one the agent typed). */
  number: string;
  /** Under QoS the SMS must arrive within 10 s: the agent confirms its arrival on the second phone. */
  protocol: Protocol;
  choices: SurveyChoices;
  onResult: (patch: Pick<SurveyChoices, 'sms' | 'smsTest'>) => void;
}

/**
 * The arrival time the agent read on the second phone (HH:MM:SS, the sending's day, or the
 * next one past midnight), as ms; undefined when it is not a time or comes before the sending.
 */
export function typedArrival(text: string, sentAt: number): number | undefined {
  const match = /^(\d{1,2})[:h](\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const day = new Date(sentAt);
  day.setHours(Number(match[1]), Number(match[2]), Number(match[3] ?? 0), 0);
  let at = day.getTime();
  if (at < sentAt - 60_000 && sentAt - at > 12 * 3600_000) at += 24 * 3600_000;
  // The second phone shows whole seconds: an arrival in the same second as « Parti » is 0 s.
  return at >= Math.floor(sentAt / 1000) * 1000 ? Math.max(at, sentAt) : undefined;
}

/**
 * « Test SMS »: opens the messaging app on the test number, then asks whether the message
 * left; the answer sets `sms` and `smsTest`. The start survives a reload, like the call's.
 * Under QoS (docs/coverage-rules.md), once it left (« Parti », the sending time), the agent
 * looks at the second phone and taps « Reçu » the moment it shows the message, or types the
 * arrival time it displays; the delay is arrival − sending, the agent's reaction counted
 * against the operator.
 */
export function SmsTest({ number, protocol, choices, onResult }: Props) {
  const [test, setTest] = useRunningTest('sms');
  const now = useNow(test !== undefined);
  const [unanswered, setUnanswered] = useState<number>();
  const [typed, setTyped] = useState('');
  const [typedError, setTypedError] = useState<string>();
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
    if (protocol === 'qos' && sms === 'ok') return setTest({ ...test, sentAt: Date.now() });
    onResult({ sms, smsTest: { startedAt: isoWithOffset(new Date(test.startedAt)) } });
    setTest(undefined);
  };
  const arrived = (sent: RunningTest & { sentAt: number }, at: number) => {
    const delayS = Math.round((at - sent.sentAt) / 100) / 10;
    onResult({ sms: 'ok', smsTest: { startedAt: isoWithOffset(new Date(sent.startedAt)), receivedAt: isoWithOffset(new Date(at)), delayS } });
    setTest(undefined);
    setTyped('');
    setTypedError(undefined);
  };
  const saveTyped = () => {
    if (test?.sentAt === undefined) return;
    const at = typedArrival(typed, test.sentAt);
    if (at === undefined) return setTypedError(`Heure d’arrivée illisible ou antérieure à l’envoi (${formatTime(test.sentAt)}) : par ex. 14:32:08`);
    arrived({ ...test, sentAt: test.sentAt }, at);
  };
  const neverArrived = () => {
    if (!test) return;
    onResult({ sms: 'failed', smsTest: { startedAt: isoWithOffset(new Date(test.startedAt)) } });
    setTest(undefined);
  };

  return (
    <section class="guided-test" aria-labelledby="sms-test-title">
      <h3 id="sms-test-title">Test SMS</h3>
      {!test && (
        <>
          {choices.smsTest && <p class="guided-result">{describeSmsTest({ ...choices, protocol })}</p>}
          {!choices.smsTest && unanswered !== undefined && (
            <p class="guided-result" role="status">
              Test SMS de {formatTime(unanswered)} : résultat non renseigné, resté sans réponse {ANSWER_WINDOW_MS / 60_000} minutes après l’envoi.
            </p>
          )}
          {protocol === 'qos' && (
            <p class="hint">
              Protocole : le SMS doit arriver en {SMS_MAX_DELAY_S} s sur le second téléphone (celui du numéro de test), que vous gardez sous les yeux.
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
      {test && test.sentAt === undefined && (
        <div class="guided-question" role="group" aria-labelledby="sms-test-question">
          <p id="sms-test-question">
            SMS vers {test.number}, ouvert il y a {formatClock(now - test.startedAt)} : est-il parti ?
          </p>
          <p class="hint">
            {protocol === 'qos'
              ? 'Touchez « Parti » au moment où le téléphone confirme l’envoi : le délai se compte à partir de là.'
              : 'Attendez que le téléphone confirme l’envoi ou signale l’échec.'}
          </p>
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
      {test && test.sentAt !== undefined && (
        <div class="guided-question" role="group" aria-labelledby="sms-arrival-question">
          <p id="sms-arrival-question">
            Envoyé à {formatTime(test.sentAt)} : il y a <strong>{formatClock(now - test.sentAt)}</strong>. Reçu sur le second téléphone ?
          </p>
          <p class="hint">Touchez « Reçu » dès qu’il s’affiche, ou saisissez l’heure d’arrivée que montre le second téléphone.</p>
          <div class="actions">
            <button type="button" class="primary" onClick={() => arrived({ ...test, sentAt: test.sentAt! }, Date.now())}>
              Reçu
            </button>
            <button type="button" onClick={neverArrived}>
              Pas reçu
            </button>
            <button type="button" class="link-button" onClick={() => setTest(undefined)}>
              Annuler le test
            </button>
          </div>
          {/* Not a <form>: the survey's own form holds this one. */}
          <div class="field sms-arrival">
            <label for="sms-arrival-time">Heure d’arrivée sur le second téléphone</label>
            <input
              id="sms-arrival-time"
              type="text"
              inputMode="numeric"
              placeholder="hh:mm:ss"
              value={typed}
              onInput={(event) => {
                setTyped(event.currentTarget.value);
                setTypedError(undefined);
              }}
              // Enter here records the time; it must not submit the survey's form (that saves the reading).
              onKeyDown={(event) => {
                if (event.key !== 'Enter') return;
                event.preventDefault();
                saveTyped();
              }}
              {...(typedError && { 'aria-invalid': true, 'aria-describedby': 'sms-arrival-error' })}
            />
            <button type="button" onClick={saveTyped}>
              Enregistrer l’heure
            </button>
            {typedError && (
              <p class="error" id="sms-arrival-error">
                {typedError}
              </p>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
