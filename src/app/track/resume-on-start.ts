import { activeTrack } from '../../store/active-track.ts';

/**
 * After a reload, a running « Parcours » carries on whichever screen opens first: the
 * track's code (position watch, wake lock) loads only when this account has one running.
 */
export async function resumeTrackOnStart(userId: string): Promise<void> {
  if (!(await activeTrack(userId))) return;
  const { resumeActiveTrack } = await import('./track-runner.ts');
  await resumeActiveTrack();
}
