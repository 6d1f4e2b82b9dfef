import { ACCURACY_LABELS, gradeAccuracy } from './accuracy.ts';
import type { Fix, GeolocationState } from './use-geolocation.ts';

const coordinate = (value: number) => value.toFixed(5);

/** `average`: the static tests' averaged position (static-position.ts), which the reading will take. */
export function PositionPanel({ state, average }: { state: GeolocationState; average?: Fix | undefined }) {
  if (state.status === 'ok') {
    const { fix } = state;
    const grade = gradeAccuracy(fix.accuracyM);
    return (
      <div class={`position ${grade}`} role="group" aria-label="Position">
        <p class="position-accuracy">
          Précision : <strong>± {Math.round(fix.accuracyM)} m</strong> ({ACCURACY_LABELS[grade]})
        </p>
        <p class="position-coordinates">
          {coordinate(fix.lat)}, {coordinate(fix.lon)}
          {fix.altitudeM !== undefined && <> · alt. {Math.round(fix.altitudeM)} m</>}
        </p>
        {average?.fixes && (
          <p class="position-average">
            Position moyenne de {average.fixes} points (±&nbsp;{Math.round(average.accuracyM)}&nbsp;m)
          </p>
        )}
      </div>
    );
  }
  const message = {
    waiting: 'Recherche de la position GPS…',
    denied: 'La localisation est refusée : autorisez-la pour ce site dans les réglages du navigateur, puis rechargez la page, ou placez le point sur la carte.',
    unsupported: 'Ce navigateur ne donne pas la position : utilisez un téléphone avec GPS.',
    unavailable: 'Position indisponible pour le moment : placez-vous à découvert, le GPS fonctionne sans réseau.',
  }[state.status];
  return (
    <div class={`position ${state.status}`} role="group" aria-label="Position">
      <p>{message}</p>
    </div>
  );
}
