import type { AccountStore } from './account-store.ts';
import type { CampaignStore } from './campaign-store.ts';
import type { GridStore } from './grid-store.ts';
import type { ReadingStore } from './reading-store.ts';
import type { ReportStore } from './report-store.ts';
import type { ZoneStore } from './zone-store.ts';

/**
 * Everything the server keeps. One object, one database: the SQLite store implements it all
 * (sqlite-store.ts); a PostgreSQL store will implement the same interfaces.
 */
export type Store = ReadingStore & AccountStore & ReportStore & GridStore & ZoneStore & CampaignStore;
