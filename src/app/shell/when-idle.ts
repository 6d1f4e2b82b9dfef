/**
 * Resolves once the browser has a moment with nothing to do (after the frames it owes), or
 * after `timeoutMs` at the latest: for the start's work that no first screen waits for (the
 * sync scheduler's reads, the service worker's registration), so that it does not run in
 * front of the first screen's paint and the agent's first tap (issue 19). Browsers without
 * requestIdleCallback (Safari) wait one task.
 */
export function whenIdle(timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: timeoutMs });
    else setTimeout(resolve, 0);
  });
}
