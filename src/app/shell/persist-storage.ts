const ASKED_KEY = 'couverture.persist-asked';

/**
 * Asks the browser once not to evict this site's storage under pressure: readings that
 * have not reached the server yet exist nowhere else.
 */
export async function askPersistentStorageOnce(): Promise<void> {
  if (!navigator.storage?.persist || localStorage.getItem(ASKED_KEY)) return;
  localStorage.setItem(ASKED_KEY, '1');
  await navigator.storage.persist().catch(() => false);
}
