import { DEFAULT_FIELD_SETTINGS, type ProbeSettings } from '../../domain/field-settings.ts';
import type { Reading } from '../../domain/reading.ts';
import { isoWithOffset } from '../../domain/time.ts';
import { addReading, attachProbe } from '../../store/outbox.ts';
import { probeBudgetMs, type ProbeRecord } from './probe.ts';

/** What saving gives back: the reading is durable; its measured evidence follows. */
export interface SavedReading {
  id: string;
  /**
   * Settles (never rejects) once the probe has ended: its result as attached to the stored
   * reading, or undefined when there was none (probe off, skipped) or it could not be
   * attached (the reading had left or been changed meanwhile).
   */
  evidence: Promise<ProbeRecord | undefined>;
}

export interface SaveOptions {
  /**
   * false: store the reading without measuring the network, e.g. a reading for another
   * phone's SIM entered on this one (« Même endroit, autre opérateur »): this phone's data
   * service says nothing about that operator.
   */
  probe?: boolean;
  /**
   * Stores the reading in place of a plain outbox add, for readings that must be written in
   * one transaction with something else (a track's point and its totals). Resolves false
   * when it decided not to store the reading: then nothing is measured or sent.
   */
  store?: (savedAt: number, heldUntil: number | undefined, reading: Reading) => Promise<boolean>;
}

export interface EvidenceDeps {
  now(): number;
  /** The browser's own idea (navigator.onLine): false is certain. */
  online(): boolean;
  /** The probe settings as last known, without waiting (undefined before the first answer). */
  knownSettings(): ProbeSettings | undefined;
  /** The deployment's probe settings; settles quickly, with a fallback when the server is slow. */
  settings(): Promise<ProbeSettings>;
  /** Measures the network now (one probe at a time: src/app/evidence/shared-probe.ts). */
  measure(settings: ProbeSettings): Promise<ProbeRecord>;
  /** The reading is stored; `heldUntil` when it waits for its evidence. */
  onStored(heldUntil: number | undefined): void;
  /** The probe ended and the reading may leave. */
  onEvidence(): void;
}

/**
 * Stores the reading first, held back from sending for as long as a probe can take, then
 * measures the network and attaches the result to the stored reading, then lets it go. The
 * probe never delays the save, and a page closed mid-probe leaves a hold that expires on its
 * own: the reading then leaves without a probe, never stuck.
 */
export async function storeWithEvidence(
  measured: Reading,
  recordedBy: string | undefined,
  { probe = true, store }: SaveOptions,
  deps: EvidenceDeps,
): Promise<SavedReading> {
  const known = deps.knownSettings();
  const wantsProbe = probe && known?.enabled !== false;
  const savedAt = deps.now();
  const online = deps.online();
  const reading = online ? measured : withoutConnectionFigures(measured);
  if (wantsProbe && !online) {
    // The phone says it has no network: that is the probe's whole answer, known at once, so
    // it goes in with the save and nothing is held back.
    const offline: ProbeRecord = { startedAt: isoWithOffset(new Date(savedAt)), durationMs: 0, result: 'device-offline' };
    const withProbe: Reading = { ...reading, probe: offline };
    if (store) {
      if (!(await store(savedAt, undefined, withProbe))) return { id: reading.id, evidence: Promise.resolve(undefined) };
    } else {
      await addReading(withProbe, savedAt, recordedBy);
    }
    deps.onStored(undefined);
    return { id: reading.id, evidence: Promise.resolve(offline) };
  }
  const heldUntil = wantsProbe ? savedAt + probeBudgetMs(known ?? DEFAULT_FIELD_SETTINGS.probe) : undefined;
  if (store) {
    if (!(await store(savedAt, heldUntil, reading))) return { id: reading.id, evidence: Promise.resolve(undefined) };
  } else {
    await addReading(reading, savedAt, recordedBy, heldUntil === undefined ? {} : { heldUntil });
  }
  deps.onStored(heldUntil);
  if (heldUntil === undefined) return { id: reading.id, evidence: Promise.resolve(undefined) };

  const evidence = (async () => {
    try {
      const settings = await deps.settings();
      if (!settings.enabled) {
        await attachProbe(reading, undefined);
        return undefined;
      }
      const result = await deps.measure(settings);
      return (await attachProbe(reading, result)) ? result : undefined;
    } catch {
      // Whatever failed, the reading must not wait for its hold to expire.
      await attachProbe(reading, undefined).catch(() => false);
      return undefined;
    } finally {
      deps.onEvidence();
    }
  })();
  return { id: reading.id, evidence };
}

/**
 * Offline, Chromium's navigator.connection keeps the figures of the last network it had
 * (« 4g, ~9,3 Mbit/s » beside « Appareil hors ligne »): they are no evidence of anything at
 * that spot, so a reading saved offline does not carry them.
 */
export function withoutConnectionFigures(reading: Reading): Reading {
  const { connection: _stale, ...rest } = reading;
  return rest;
}
