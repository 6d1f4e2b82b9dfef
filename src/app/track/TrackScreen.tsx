import { useEffect, useMemo, useState } from 'preact/hooks';
import { listTracks, type TrackRecord } from '../../store/tracks.ts';
import { currentCampaign } from '../campaigns/current-campaign.ts';
import { sessionState } from '../shell/session-state.ts';
import { useStore } from '../shell/tiny-store.ts';
import { PositionPanel } from '../survey/PositionPanel.tsx';
import { useOutboxRecords } from '../sync/outbox-state.ts';
import { PastTracks, type PointsSent } from './PastTracks.tsx';
import { choiceProblems } from './track-choices.ts';
import { TrackChoicesFields } from './TrackChoicesFields.tsx';
import { TrackFigures } from './TrackFigures.tsx';
import { beginTrack, finishTrack, resumeActiveTrack, trackRun, updateTrackChoices } from './track-runner.ts';
import { WAKE_LOCK_HELD, WAKE_LOCK_UNAVAILABLE, type WakeLockStatus } from './wake-lock.ts';
import { useTitle } from '../shell/use-title.ts';

const WAKE_LOCK_TEXT: Record<WakeLockStatus, string> = {
  off: '',
  waiting: '',
  held: WAKE_LOCK_HELD,
  unavailable: WAKE_LOCK_UNAVAILABLE,
};

const NOTICES = {
  inaccurate: 'Position trop imprécise : aucun point n’est enregistré tant qu’elle ne s’améliore pas.',
  'clock-behind': 'L’horloge du téléphone a reculé : les points reprendront quand elle aura rattrapé le dernier point.',
};

/** « Parcours »: points recorded automatically while walking or driving. */
export function TrackScreen() {
  useTitle('Parcours');
  const run = useStore(trackRun);
  const { campaign } = useStore(currentCampaign);
  const { records } = useOutboxRecords();
  const user = useStore(sessionState).session?.info.user.id;
  const [tracks, setTracks] = useState<TrackRecord[]>([]);
  const now = useNow(run.track ? 1_000 : undefined);

  useEffect(() => {
    void resumeActiveTrack();
  }, [user]);

  // The list follows the outbox: a point recorded or sent, here or in another tab.
  useEffect(() => {
    let current = true;
    void listTracks().then((all) => {
      if (current) setTracks(all.filter((track) => track.recordedBy === user));
    });
    return () => {
      current = false;
    };
  }, [records, run.track?.id, run.track?.state, user]);

  const sending = useMemo(() => {
    const byTrack = new Map<string, PointsSent>();
    for (const record of records) {
      const trackId = record.reading.trackId;
      if (!trackId) continue;
      const counts = byTrack.get(trackId) ?? { stored: 0, sent: 0 };
      counts.stored += 1;
      if (record.state === 'sent') counts.sent += 1;
      byTrack.set(trackId, counts);
    }
    return byTrack;
  }, [records]);

  const { track } = run;
  // Records are listed newest first.
  const lastPoint = track ? records.find((record) => record.reading.trackId === track.id)?.reading : undefined;
  const problems = choiceProblems(run.choices);
  const past = tracks.filter((t) => t.id !== track?.id);

  return (
    <section class="screen track-screen" aria-labelledby="track-title">
      <h2 id="track-title">Parcours</h2>
      {!run.loaded ? null : track ? (
        <>
          <p class="track-running" role="status">
            {run.resumed ? 'Parcours repris' : 'Parcours en cours'}
            {track.campaignId && campaign?.id === track.campaignId && <> · {campaign.name}</>}
          </p>
          <TrackFigures track={track} now={now} lastPoint={lastPoint} />
          <PositionPanel state={run.gps} />
          {run.notice && <p class="track-notice warning">{NOTICES[run.notice]}</p>}
          <p class={`track-wake-lock ${run.wakeLock}`}>{WAKE_LOCK_TEXT[run.wakeLock]}</p>
          <p class="hint">
            Un point tous les {track.spacingM} m ou toutes les {track.intervalS} s. Touchez ce qui change : les points suivants le prennent.
          </p>
          <TrackChoicesFields choices={run.choices} onChange={updateTrackChoices} operators={campaign?.operators} />
          {run.error && (
            <p class="error" role="alert">
              {run.error}
            </p>
          )}
          <button type="button" class="big track-stop" disabled={run.busy} onClick={() => void finishTrack()}>
            Arrêter le parcours
          </button>
        </>
      ) : (
        <>
          <p class="hint">
            À pied ou en voiture, l’application enregistre un point tout au long du trajet avec la position, le réseau mesuré et ce que vous indiquez
            ci-dessous.
            {campaign && <> Les points iront à la campagne « {campaign.name} ».</>}
          </p>
          <TrackChoicesFields choices={run.choices} onChange={updateTrackChoices} operators={campaign?.operators} />
          {problems.length > 0 && <p class="hint">Avant de partir : {problems.join(' ; ')}.</p>}
          {run.error && (
            <p class="error" role="alert">
              {run.error}
            </p>
          )}
          <button type="button" class="primary big" disabled={run.busy || problems.length > 0} onClick={() => void beginTrack()}>
            Démarrer un parcours
          </button>
        </>
      )}
      <PastTracks tracks={past} sending={sending} />
    </section>
  );
}

/** The time now, refreshed every `everyMs` (not at all when undefined). */
function useNow(everyMs: number | undefined): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (everyMs === undefined) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
