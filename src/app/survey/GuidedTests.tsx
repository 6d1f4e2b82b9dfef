import { useState } from 'preact/hooks';
import { CallTest } from './CallTest.tsx';
import { rememberNumber, rememberedNumber } from './guided-test.ts';
import { SmsTest } from './SmsTest.tsx';
import type { SurveyChoices } from './survey-choices.ts';
import { TestNumber } from './TestNumber.tsx';

interface Props {
  /** The current campaign's test number, if it sets one. */
  campaignNumber: string | undefined;
  choices: SurveyChoices;
  onResult: (patch: Partial<SurveyChoices>) => void;
}

/** The guided call and SMS tests, on one number: the campaign's, else one the agent types (remembered). */
export function GuidedTests({ campaignNumber, choices, onResult }: Props) {
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
      <CallTest number={number} choices={choices} onResult={onResult} />
      <SmsTest number={number} choices={choices} onResult={onResult} />
    </div>
  );
}
