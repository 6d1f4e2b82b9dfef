import { useState } from 'preact/hooks';
import type { Protocol } from '../../domain/protocol.ts';
import { lazyScreen } from '../shell/lazy-screen.tsx';
import { CallTest } from './CallTest.tsx';
import { rememberNumber, rememberedNumber } from './guided-test.ts';
import { SmsTest } from './SmsTest.tsx';
import type { SurveyChoices } from './survey-choices.ts';
import { TestNumber } from './TestNumber.tsx';

// QoS campaigns only: the data tests' code stays out of the survey's first load (precached all the same).
const DataTests = lazyScreen(() => import('./DataTests.tsx').then((m) => m.DataTests), 'Les tests de données');

interface Props {
  /** The current campaign's test number, if it sets one. */
  campaignNumber: string | undefined;
  /** The campaign's protocol, else the deployment's. */
  protocol: Protocol;
  /** Changes at each save (DataTests). */
  spot: number;
  choices: SurveyChoices;
  onResult: (patch: Partial<SurveyChoices>) => void;
}

/**
 * The guided call and SMS tests, on one number: the campaign's, else one the agent types
 * (remembered); under Arcep's QoS protocol, the data tests too.
 */
export function GuidedTests({ campaignNumber, protocol, spot, choices, onResult }: Props) {
  const [typed, setTyped] = useState(rememberedNumber);
  const number = campaignNumber ?? typed.trim();
  return (
    <div class="guided-tests">
      <TestNumber
        id="guided-test-number"
        campaignNumber={campaignNumber}
        value={typed}
        onInput={(value) => {
          setTyped(value);
          rememberNumber(value);
        }}
      />
      <CallTest number={number} protocol={protocol} choices={choices} onResult={onResult} />
      <SmsTest number={number} protocol={protocol} choices={choices} onResult={onResult} />
      {protocol === 'qos' && <DataTests spot={spot} choices={choices} onResult={onResult} />}
    </div>
  );
}
