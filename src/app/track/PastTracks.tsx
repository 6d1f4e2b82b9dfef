import { trackDurationMs } from '../../domain/track.ts';
import type { TrackRecord } from '../../store/tracks.ts';
import { formatTime } from '../format.ts';
import { formatDistance, formatDuration } from './format-track.ts';

export interface PointsSent {
  /** Points of the track still on this device. */
  stored: number;
  sent: number;
}

interface Props {
  tracks: TrackRecord[];
  sending: Map<string, PointsSent>;
}

/** The tracks recorded on this device, newest first, and how far their points have gone. */
export function PastTracks({ tracks, sending }: Props) {
  if (tracks.length === 0) return null;
  return (
    <section class="past-tracks" aria-labelledby="past-tracks-title">
      <h3 id="past-tracks-title">Parcours sur cet appareil</h3>
      <ul>
        {tracks.map((track) => {
          const points = sending.get(track.id) ?? { stored: 0, sent: 0 };
          return (
            <li key={track.id} class="past-track">
              <span class="past-track-date">{formatTime(track.startedAt)}</span>
              <span>{formatDistance(track.distanceM)}</span>
              <span>{formatDuration(trackDurationMs(track, track.endedAt ?? track.startedAt))}</span>
              <span>
                {track.pointCount} point{track.pointCount > 1 ? 's' : ''}
              </span>
              <span class={points.sent === track.pointCount ? 'past-track-sent all' : 'past-track-sent'}>
                {points.sent} envoyé{points.sent > 1 ? 's' : ''}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
