/**
 * proj4 as the page and its workers need it: the core and the one projection the grid uses
 * (LAEA Europe, EPSG:3035, src/domain/grid/laea.ts), with longlat and merc that the core
 * always registers. The full package registers some thirty projections and MGRS, about
 * 100 KB the phone would download three times (the page and two workers) for nothing.
 * vite.config.ts aliases 'proj4' to this file for the browser build only; the server keeps
 * the whole package. Same code, same constants: the same coordinates to the last bit
 * (test/unit/proj4-laea.test.ts).
 */
import core from 'proj4/lib/core';
import Proj from 'proj4/lib/Proj';
import laea from 'proj4/lib/projections/laea';

Proj.projections.add(laea);

export default core;
