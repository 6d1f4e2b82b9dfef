import { expose } from 'comlink';
import { buildDeviceLayer } from './map-layers.ts';

/** Everything the page may ask of the worker; the page imports only this type. */
const services = { buildDeviceLayer };

export type WorkerServices = typeof services;

expose(services);
