/**
 * - 'held': the screen stays on.
 * - 'waiting': asked for, or given back by the browser while the page was hidden; asked
 *   again as soon as the page is visible.
 * - 'unavailable': this browser has no Screen Wake Lock, or refused it (battery saver,
 *   headless); the agent must keep the screen on by hand.
 */
export type WakeLockStatus = 'off' | 'waiting' | 'held' | 'unavailable';

/** What the « Parcours » screen says about the screen's sleep. */
export const WAKE_LOCK_HELD = 'L’écran reste allumé pendant le parcours.';
export const WAKE_LOCK_UNAVAILABLE = 'Gardez l’écran allumé : ce navigateur ne peut pas l’empêcher de se mettre en veille';

/**
 * Keeps the screen on for as long as a track runs (Screen Wake Lock). Browsers release the
 * lock whenever the page is hidden, so it is asked for again each time the page becomes
 * visible. Returns the function that lets the screen sleep again.
 */
export function keepScreenAwake(onStatus: (status: WakeLockStatus) => void): () => void {
  const wakeLock = 'wakeLock' in navigator ? navigator.wakeLock : undefined;
  if (!wakeLock) {
    onStatus('unavailable');
    return () => onStatus('off');
  }
  let sentinel: WakeLockSentinel | undefined;
  let asking = false;
  let stopped = false;

  const acquire = async () => {
    if (stopped || asking || (sentinel && !sentinel.released)) return;
    if (document.visibilityState !== 'visible') {
      onStatus('waiting');
      return;
    }
    asking = true;
    onStatus('waiting');
    try {
      const lock = await wakeLock.request('screen');
      if (stopped) {
        await lock.release();
        return;
      }
      sentinel = lock;
      lock.addEventListener('release', () => {
        if (!stopped) onStatus('waiting');
      });
      onStatus('held');
    } catch {
      if (!stopped) onStatus('unavailable');
    } finally {
      asking = false;
    }
  };

  const onVisibility = () => void acquire();
  document.addEventListener('visibilitychange', onVisibility);
  void acquire();
  return () => {
    stopped = true;
    document.removeEventListener('visibilitychange', onVisibility);
    sentinel?.release().catch(() => undefined);
    onStatus('off');
  };
}
