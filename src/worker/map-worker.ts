import { expose } from 'comlink';
import { cellsToSurvey, type OutlineGeometry } from './cells-to-survey.ts';
import { deviceMapView, heldCampaignReadings, holdDeviceReadings } from './map-layers.ts';

/**
 * The map's own worker: it lives as long as the « Carte » screen and keeps the device's
 * readings between views. Not the shared worker of worker.ts, which stops when idle or when
 * an import is cancelled, and would drop them.
 */
const services = {
  holdDeviceReadings,
  deviceMapView,
  cellsToSurvey(outline: OutlineGeometry, visitedCellIds: string[], campaignId: string) {
    return cellsToSurvey(outline, visitedCellIds, heldCampaignReadings(campaignId));
  },
};

export type MapWorkerServices = typeof services;

expose(services);
