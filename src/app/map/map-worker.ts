import { wrap, type Remote } from 'comlink';
import type { MapWorkerServices } from '../../worker/map-worker.ts';

export interface MapWorker {
  remote: Remote<MapWorkerServices>;
  stop(): void;
}

/**
 * The map's worker, started with the map and stopped with it. It holds the device's readings
 * between views, so it must not be the shared worker (stopped when idle or on a cancelled import).
 */
export function startMapWorker(): MapWorker {
  const worker = new Worker(new URL('../../worker/map-worker.ts', import.meta.url), { type: 'module', name: 'couverture-carte' });
  return { remote: wrap<MapWorkerServices>(worker), stop: () => worker.terminate() };
}
