import { readStart, type StartRead } from '../../store/start-read.ts';
import { holdPositionEarly } from '../survey/position-watch.ts';
import { shownFor } from './role-tabs.ts';
import { parseRoute } from './routes.ts';
import { sessionState } from './session-state.ts';

/*
 * Imported first by main.tsx, so that this runs before the rest of the app's modules are
 * evaluated (~100 ms at CPU ÷4): the two waits of a start on the survey screen begin here and
 * run in the browser alongside that evaluation and the first render, instead of after them
 * (issue 19).
 * - IndexedDB's open and the first screen's read (who is signed in, the campaign picked, in one
 *   transaction: main.tsx shows them, first-screen-read.ts). Every later getDb() shares this
 *   connection; a failed open is forgotten, and tried again by the first read that needs it.
 * - The survey's first fix: asked for now when the survey will be the first screen (for the
 *   role signed in last time: its own watch will ask anyway, once IndexedDB has said who is
 *   signed in); on the survey's address otherwise, only once the permission is known to be
 *   granted.
 */
export const firstScreenRead: Promise<StartRead> = readStart();
firstScreenRead.catch(() => undefined);

const route = parseRoute(location.hash);
const { lastSignedIn } = sessionState.get();
const surveyNext = lastSignedIn !== undefined && shownFor(route, lastSignedIn.role, lastSignedIn.mustChangePassword).screen === 'releve';
if (surveyNext || route.name === 'releve') void holdPositionEarly({ surveyNext });
