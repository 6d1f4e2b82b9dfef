import type { ProbeRecord } from './probe.ts';

/**
 * A result this young is the network of the moment: a reading saved within it shares it
 * rather than measuring again. Short, so that a reading never carries the network of another
 * place: walking, 5 s is a few metres; a track's points come every 30 s or 100 m.
 */
export const RECENT_PROBE_MS = 5_000;

export interface SharedProbe {
  /** The probe result for a reading saved now: the running probe's, a recent one, or a new one. */
  measure(): Promise<ProbeRecord>;
}

/**
 * Keeps probes from piling up (a track on a bad network saves faster than a probe gives up):
 * at most one runs at a time, and a reading saved while it runs gets its result, which was
 * measured at that reading's place and moment. Nothing queues behind it, so the cost stays
 * one probe per few seconds whatever the rate of saves. A 'device-offline' result is never
 * shared: it costs no request, and the network may be back a second later.
 */
export function createSharedProbe(run: () => Promise<ProbeRecord>, now: () => number, recentMs = RECENT_PROBE_MS): SharedProbe {
  let running: Promise<ProbeRecord> | undefined;
  let last: { result: ProbeRecord; endedAt: number } | undefined;
  return {
    measure() {
      if (running) return running;
      if (last && last.result.result !== 'device-offline' && now() - last.endedAt <= recentMs) return Promise.resolve(last.result);
      const current = run().then((result) => {
        last = { result, endedAt: now() };
        return result;
      });
      running = current;
      const clear = () => {
        if (running === current) running = undefined;
      };
      current.then(clear, clear);
      return current;
    },
  };
}
