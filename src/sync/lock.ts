/** The lock a flush holds: one at a time across every tab and the service worker. */
export const FLUSH_LOCK = 'couverture-outbox-flush';

/**
 * Runs `task` while holding a lock shared by every tab and the service worker of this origin
 * (Web Locks API), so that two triggers at once never upload the same readings side by side.
 * Where Web Locks are missing, a promise chain serialises the calls of this one context.
 */
let localChain: Promise<unknown> = Promise.resolve();

export function runExclusive<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks) return locks.request(name, task) as Promise<T>;
  const run = localChain.then(task, task);
  localChain = run.catch(() => undefined);
  return run;
}
