import type { AccountStore } from './account-store.ts';
import type { CampaignStore } from './campaign-store.ts';
import type { CounterStore } from './counter-store.ts';
import type { DeclaredCoverageStore } from './declared-coverage-store.ts';
import type { PeopleStore } from './people-store.ts';
import type { GridStore } from './grid-store.ts';
import type { GridVersionStore } from './grid-version.ts';
import type { KeptAnswerStore } from './kept-answer-store.ts';
import type { PlaceStore } from './place-store.ts';
import type { ReadingStore } from './reading-store.ts';
import type { ReportStore } from './report-store.ts';
import type { ZoneStore } from './zone-store.ts';

/**
 * Everything the server keeps. One object, one database: the SQLite store (sqlite/sqlite-store.ts,
 * the default, one process) and the PostgreSQL store (postgres/postgres-store.ts, any number of
 * processes) implement it all; open-store.ts picks one from the configuration.
 */
export type Store = ReadingStore &
  AccountStore &
  ReportStore &
  GridStore &
  GridVersionStore &
  ZoneStore &
  CampaignStore &
  CounterStore &
  KeptAnswerStore &
  PlaceStore &
  DeclaredCoverageStore &
  PeopleStore;
