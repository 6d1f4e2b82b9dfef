/** How a request ended, for the one that is still wanted. */
export type Outcome<T> = { data: T } | { error: unknown };

/**
 * One request at a time for one thing a screen shows: starting a request aborts the one
 * before (« Actualiser » after « plus anciens », a filter changed twice), and only the
 * latest one's outcome is ever settled, so an answer that arrives late cannot overwrite a
 * newer one. `abort()` when the screen goes. Free of the DOM, for `use-api.ts` and its tests.
 */
export class RequestSlot {
  private current: AbortController | undefined;

  /** Starts `request` (which must pass the signal on to `fetch`), aborting the one under way. */
  run<T>(request: (signal: AbortSignal) => Promise<T>, settle: (outcome: Outcome<T>) => void): void {
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    const wanted = () => this.current === controller && !controller.signal.aborted;
    request(controller.signal).then(
      (data) => {
        if (wanted()) settle({ data });
      },
      (error: unknown) => {
        if (wanted()) settle({ error });
      },
    );
  }

  /** Aborts the request under way, if any; its outcome will not be settled. */
  abort(): void {
    this.current?.abort();
    this.current = undefined;
  }
}
