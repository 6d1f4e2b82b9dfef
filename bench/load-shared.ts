/**
 * What bench/load.ts, its server process (load-server.ts) and its clients (load-clients.ts)
 * agree on: where the devices survey, and the messages between the two processes.
 */

/** Where devices survey: real communes of the Hérault, so readings are placed in département 34 as in production. */
export const CENTRES = [
  { code: '34172', lat: 43.6108, lon: 3.8767 }, // Montpellier
  { code: '34032', lat: 43.3442, lon: 3.2158 }, // Béziers
  { code: '34301', lat: 43.4028, lon: 3.6933 }, // Sète
  { code: '34142', lat: 43.7317, lon: 3.3194 }, // Lodève
  { code: '34145', lat: 43.6758, lon: 4.1353 }, // Lunel
  { code: '34003', lat: 43.3108, lon: 3.4758 }, // Agde
  { code: '34199', lat: 43.4592, lon: 3.4233 }, // Pézenas
  { code: '34079', lat: 43.6272, lon: 3.4317 }, // Clermont-l'Hérault
  { code: '34111', lat: 43.9342, lon: 3.7081 }, // Ganges
  { code: '34284', lat: 43.4894, lon: 2.7656 }, // Saint-Pons-de-Thomières
  { code: '34261', lat: 43.7339, lon: 3.5494 }, // Saint-Guilhem-le-Désert
  { code: '34157', lat: 43.4267, lon: 3.605 }, // Mèze
] as const;

/** Where the server processes of one run keep their data: a SQLite file, or a throwaway PostgreSQL schema. */
export type BenchStore = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema: string };

/** What load.ts hands each server process (as JSON, its one argument). */
export interface ServerArguments {
  store: BenchStore;
  devices: number;
  reviewers: number;
  /** The first process migrates and makes the accounts; the others open the same database as it stands. */
  makeAccounts: boolean;
  /** Every upload let in at once, as before upload turns (routes/upload-admission.ts): the baseline. */
  allAtOnce: boolean;
}

export interface MemoryFigures {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

/** Parent → child. */
export type ServerCommand = { type: 'memory'; collect: boolean } | { type: 'reset-peak' } | { type: 'stop' };

/** Child → parent. */
export type ServerMessage =
  | { type: 'ready'; port: number; deviceTokens: string[]; reviewerTokens: string[] }
  | {
      type: 'memory';
      now: MemoryFigures;
      peak: MemoryFigures & { rssHighWater: number };
      /** CPU time used by the server process so far, user + system, in ms. */
      cpuMs: number;
      /** Bytes written to disk by the server process so far (the database, its WAL). */
      bytesWritten: number;
      /** How long the event loop was held up (ms) since the last reset: SQLite's work runs on it. */
      loopDelay: { p50: number; p99: number; max: number };
    }
  | { type: 'stopped' }
  | { type: 'failed'; error: string };
