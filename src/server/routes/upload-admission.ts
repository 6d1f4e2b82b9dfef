import { HttpError } from '../http-errors.ts';

/**
 * How many uploads one server process judges and stores at once, and how long the next ones
 * may wait for their turn. Judging a batch of 500 readings is a few hundred milliseconds of
 * the one event loop every request shares; storing it holds a database connection and, on
 * PostgreSQL, row locks on the coverage grid's cells that every batch of the same area takes
 * too. A hundred batches let in at once only wait on each other, each longer than a phone
 * waits for its answer (UPLOAD_TIMEOUT_MS, 30 s). A few at a time, each done in a moment, and
 * the others told to come back (503 with Retry-After, the readings staying safe on the
 * phone), answer every upload in seconds.
 */
export interface UploadAdmission {
  /** Uploads stored at once by this process. */
  atOnce: number;
  /** Longest wait for a turn: an upload expected to wait longer is answered 503 at once, one that did is answered 503 then. */
  maxWaitMs: number;
}

export const DEFAULT_UPLOAD_ADMISSION: UploadAdmission = { atOnce: 4, maxWaitMs: 3000 };

/** Bounds of the Retry-After sent with a 503: the phone's first retry (5 s) to a minute. */
const RETRY_AFTER_MIN_S = 5;
const RETRY_AFTER_MAX_S = 60;

export function busyMessage(retryAfterS: number): string {
  return `Le serveur reçoit trop de relevés à la fois : ce lot n’a pas été enregistré, il reste sur le téléphone et repartira de lui-même (réessayez dans ${retryAfterS} s).`;
}

/** Turns for storing uploads: `run(work)` runs `work` in its turn, or throws a 503 HttpError. */
export interface UploadTurns {
  run<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * A queue in front of `work`, at most `atOnce` running. Whether a newcomer may wait is judged
 * from the time a turn has lately taken (a moving average), so that an overloaded process says
 * « come back later » in a millisecond rather than after the wait it knows will be too long.
 */
export function uploadTurns({ atOnce, maxWaitMs }: UploadAdmission): UploadTurns {
  let running = 0;
  /** Moving average of a turn's duration (ms); 0 until one has ended. */
  let turnMs = 0;
  const waiting: { start: () => void; timer: ReturnType<typeof setTimeout> }[] = [];

  const expectedWaitMs = () => Math.ceil((waiting.length + 1) / atOnce) * turnMs;
  const refuse = (waitMs: number) => {
    const retryAfterS = Math.min(RETRY_AFTER_MAX_S, Math.max(RETRY_AFTER_MIN_S, Math.ceil(waitMs / 1000)));
    return new HttpError(503, busyMessage(retryAfterS), { headers: { 'retry-after': String(retryAfterS) } });
  };

  function turnTaken(): Promise<void> {
    if (running < atOnce) {
      running += 1;
      return Promise.resolve();
    }
    const expected = expectedWaitMs();
    if (expected > maxWaitMs) return Promise.reject(refuse(expected));
    return new Promise((resolve, reject) => {
      const entry = {
        start: () => {
          clearTimeout(entry.timer);
          running += 1;
          resolve();
        },
        timer: setTimeout(() => {
          waiting.splice(waiting.indexOf(entry), 1);
          reject(refuse(expectedWaitMs()));
        }, maxWaitMs),
      };
      waiting.push(entry);
    });
  }

  function turnEnded(ms: number): void {
    running -= 1;
    turnMs = turnMs === 0 ? ms : 0.8 * turnMs + 0.2 * ms;
    waiting.shift()?.start();
  }

  return {
    async run(work) {
      await turnTaken();
      const start = performance.now();
      try {
        return await work();
      } finally {
        turnEnded(performance.now() - start);
      }
    },
  };
}
