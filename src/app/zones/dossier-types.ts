import type { CellZone, OperatorVerdict } from '../../domain/grid/cell-verdict.ts';
import type { Operator } from '../../domain/operators.ts';
import type { Zone } from '../../domain/zone.ts';
import type { OperatorCellStats, OutlineGeometry, Ring } from '../cells/api-types.ts';

type Calls = { ok: number; failed: number; dropped: number; 'not-tested': number };

/** GET /api/v1/zones/:id/dossier.json: everything the printable page shows (src/server/grid/zone-documents.ts). */
export interface Dossier {
  generatedAt: string;
  zone: Zone;
  statusLabel: string;
  needLabel: string;
  departement: { code: string; name: string };
  communes: { code: string; name: string }[];
  outline: OutlineGeometry;
  bbox: [number, number, number, number];
  cells: { cellId: string; zone: CellZone; operators: Record<Operator, OperatorVerdict>; readings: number; ring: Ring }[];
  cellsByZone: Record<CellZone, number>;
  /** Per operator over the zone's cells merged. */
  operators: (OperatorCellStats & { operator: Operator; label: string; calls: Calls })[];
  calls: { tried: number; ok: number; failed: number; dropped: number; successRate: number | null };
  readings: number;
  /** Counted, never named. */
  contributors: number;
  firstAt: string | null;
  lastAt: string | null;
  residentReports: number;
  rule?: { settings?: readonly string[]; minReadings?: number; minContributors?: number };
}
