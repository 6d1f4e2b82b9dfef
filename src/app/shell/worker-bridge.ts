import { wrap, type Remote } from 'comlink';
import type { WorkerServices } from '../../worker/worker.ts';

/** A worker nobody called for this long is stopped; the next call starts a new one. */
const IDLE_MS = 30_000;

interface RunningWorker {
  worker: Worker;
  remote: Remote<WorkerServices>;
  /** Rejects when the worker is terminated, so that no call waits on a dead worker. */
  stopped: Promise<never>;
  stop: (reason: unknown) => void;
}

// Kept in a module variable: some browsers have collected workers only a proxy referred to.
let current: RunningWorker | undefined;
let idleTimer: ReturnType<typeof setTimeout> | undefined;
let calls = 0;

function start(): RunningWorker {
  const worker = new Worker(new URL('../../worker/worker.ts', import.meta.url), { type: 'module', name: 'couverture' });
  let stop!: (reason: unknown) => void;
  const stopped = new Promise<never>((_, reject) => {
    stop = (reason) => {
      worker.terminate();
      if (current?.worker === worker) current = undefined;
      reject(reason);
    };
  });
  stopped.catch(() => undefined);
  return { worker, remote: wrap<WorkerServices>(worker), stopped, stop };
}

/**
 * Calls the worker. Aborting terminates it (the only way to stop work already running
 * there): that call and any other running one reject with the abort's reason.
 */
export async function callWorker<T>(task: (services: Remote<WorkerServices>) => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  clearTimeout(idleTimer);
  const running = (current ??= start());
  const onAbort = () => running.stop(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  calls += 1;
  try {
    return await Promise.race([task(running.remote), running.stopped]);
  } finally {
    calls -= 1;
    signal?.removeEventListener('abort', onAbort);
    if (calls === 0) idleTimer = setTimeout(() => current?.stop(new DOMException('Worker idle', 'AbortError')), IDLE_MS);
  }
}
