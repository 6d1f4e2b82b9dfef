import { trackDurationMs } from '../../domain/track.ts';
import type { TrackRecord } from '../../store/tracks.ts';
import { formatTime } from '../format.ts';
import { formatDistance, formatDuration } from './format-track.ts';

interface Props {
  track: TrackRecord;
  now: number;
  /** The last point as stored in the outbox (its time and accuracy), once known. */
  lastPoint?: { recordedAt: string; accuracyM: number } | undefined;
}

/** The running track's figures, large enough to read at arm's length or on a dashboard mount. */
export function TrackFigures({ track, now, lastPoint }: Props) {
  return (
    <dl class="track-figures" aria-label="Parcours en cours">
      <div>
        <dt>Distance</dt>
        <dd data-figure="distance">{formatDistance(track.distanceM)}</dd>
      </div>
      <div>
        <dt>Durée</dt>
        <dd data-figure="duration">{formatDuration(trackDurationMs(track, now))}</dd>
      </div>
      <div>
        <dt>Points</dt>
        <dd data-figure="points">{track.pointCount}</dd>
      </div>
      <div>
        <dt>Dernier point</dt>
        <dd data-figure="last-point">{lastPoint ? `${formatTime(lastPoint.recordedAt)} · ± ${Math.round(lastPoint.accuracyM)} m` : 'en attente'}</dd>
      </div>
    </dl>
  );
}
