import type { Bbox } from '../../domain/geojson.ts';
import { publicCell, publicHour, publicHourBounds, sameCell } from '../../domain/report-public.ts';

/**
 * When a resident's report repeats one already stored (report-store.ts's ingestReports):
 * same operator, problem and setting, in the same public ~200 m cell and the same UTC hour,
 * the cell and hour the public feed shows. Nothing finer decides, so that sending probes and
 * watching the feed tells no more than the feed itself (issue 14: a 50 m radius and a sliding
 * hour let 7 requests find a report to the metre and the second). Two reports a few metres
 * apart across a cell's edge, or minutes apart across an hour, are kept apart: the price of it.
 *
 * Both stores look for candidates with `repeatSearch` (the cell's box and the hour's bounds),
 * then keep those `repeats` accepts. A collapsed report's id is kept (table report_ids, with
 * the report it counts in), so that its resend is known and not counted again.
 */

/** Beyond the cell by this much (degrees, about a centimetre): points on its edge, whatever the rounding, are candidates. */
const EDGE_SLACK_DEG = 1e-7;

export interface RepeatSearch {
  box: Bbox;
  fromMs: number;
  toMs: number;
}

export interface Placed {
  lat: number;
  lon: number;
  reportedAtMs: number;
}

/** Where and when to look for the report that `report` may repeat. */
export function repeatSearch(report: Placed): RepeatSearch {
  const { bounds } = publicCell(report.lat, report.lon);
  return {
    box: {
      minLon: bounds.minLon - EDGE_SLACK_DEG,
      maxLon: bounds.maxLon + EDGE_SLACK_DEG,
      minLat: bounds.minLat - EDGE_SLACK_DEG,
      maxLat: bounds.maxLat + EDGE_SLACK_DEG,
    },
    ...publicHourBounds(publicHour(report.reportedAtMs)),
  };
}

/** Whether `report` falls in the same public cell and hour as `stored` (operator, problem and setting are the query's). */
export function repeats(report: Placed, stored: Placed): boolean {
  return (
    publicHour(report.reportedAtMs) === publicHour(stored.reportedAtMs) && sameCell(publicCell(report.lat, report.lon), publicCell(stored.lat, stored.lon))
  );
}
