import { expose } from 'comlink';
import { buildDeviceGrid } from './device-grid.ts';
import { exportReadings } from './export-readings.ts';
import { importFile, previewImport } from './import-file.ts';

/** Everything the page may ask of the worker; the page imports only this type. */
const services = { buildDeviceGrid, previewImport, importFile, exportReadings };

export type WorkerServices = typeof services;

expose(services);
