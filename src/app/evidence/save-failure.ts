/**
 * A full storage is the one save failure the agent can mend: it gets words and a way out
 * instead of the browser's English. Chromium, Firefox and Safari all name it
 * QuotaExceededError (a DOMException, or its own subclass in recent Chromium).
 */
export function isStorageFull(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'QuotaExceededError';
}

/** Why something was not stored on the device, after `what` (« Le relevé n’a pas pu être enregistré »). */
export function saveFailureMessage(what: string, error: unknown): string {
  if (isStorageFull(error)) {
    return `${what} : la mémoire du téléphone est pleine. Les relevés déjà enregistrés sont conservés. Libérez de la place (cartes hors ligne, photos, applications inutiles), puis réessayez.`;
  }
  return `${what} : ${String(error)}`;
}
