import type { FieldError } from '../../domain/reading.ts';
import { validateReading } from '../../domain/reading-schema.ts';
import { buildReading } from '../survey/build-reading.ts';
import { DEFAULT_CHOICES, loadChoices, type SurveyChoices } from '../survey/survey-choices.ts';

/**
 * What the agent says about the network during a track: operator, technology, signal, and
 * whether they walk or drive. Every point takes the latest; guided tests and notes belong to
 * single readings (« Relevé »), not to points recorded on the move.
 */
export type TrackChoices = Pick<SurveyChoices, 'operator' | 'technology' | 'signalMode' | 'signalBars' | 'signalDbm' | 'setting'>;

export type TrackMode = 'outdoor' | 'vehicle';

const KEY = 'couverture.track-choices';

/** The last track's choices, or the survey's (same phone, same SIM) on a first track. */
export function loadTrackChoices(): TrackChoices {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved) return pickTrackChoices({ ...DEFAULT_CHOICES, ...(JSON.parse(saved) as Partial<SurveyChoices>) });
  } catch {
    // Unreadable: start from the survey's.
  }
  const survey = pickTrackChoices(loadChoices());
  return { ...survey, setting: survey.setting === 'vehicle' ? 'vehicle' : 'outdoor' };
}

export function saveTrackChoices(choices: TrackChoices): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(choices));
  } catch {
    // Private browsing may refuse storage; the choices then last for this visit only.
  }
}

function pickTrackChoices({ operator, technology, signalMode, signalBars, signalDbm, setting }: SurveyChoices): TrackChoices {
  return { operator, technology, signalMode, signalBars, signalDbm, setting };
}

/** The survey form's choices for these, with no test and no note. */
export function surveyChoicesOf(choices: TrackChoices): SurveyChoices {
  return { ...DEFAULT_CHOICES, ...choices };
}

/**
 * What keeps these choices from making a valid point, in the agent's words: a choice not made
 * yet, else what the shared schema says (checked on a stand-in position, since only the
 * choices are in question here).
 */
export function choiceProblems(choices: TrackChoices): string[] {
  const missing = [!choices.operator && 'choisissez l’opérateur', !choices.technology && 'choisissez le réseau affiché'].filter(
    (text) => typeof text === 'string',
  );
  const standIn = { lat: 0, lon: 0, accuracyM: 1, takenAt: Date.now() };
  const result = validateReading(buildReading('00000000-0000-4000-8000-000000000000', surveyChoicesOf(choices), standIn, new Date(standIn.takenAt)));
  const invalid = result.ok
    ? []
    : result.errors.filter((error: FieldError) => error.field !== 'operator' && error.field !== 'technology').map((error) => error.message);
  return [...missing, ...invalid];
}
