import proj4 from 'proj4';
import { EPSG_3035 } from '../../domain/grid/laea.ts';

/**
 * The coordinate systems reference files come in, by EPSG code, as PROJ definitions (EPSG's, as
 * epsg.io publishes them). Arcep publishes its coverage maps in Lambert-93 or Web Mercator;
 * GeoJSON is WGS84 (RFC 7946). Any other is refused by name rather than guessed.
 */
const KNOWN: Readonly<Record<number, { name: string; definition: string }>> = {
  2154: {
    name: 'RGF93 v1 / Lambert-93',
    definition: '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs',
  },
  3857: {
    name: 'WGS 84 / Pseudo-Mercator',
    definition: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs +type=crs',
  },
  4326: { name: 'WGS 84', definition: '+proj=longlat +datum=WGS84 +no_defs +type=crs' },
  3035: { name: 'ETRS89-extended / LAEA Europe', definition: EPSG_3035 },
};

export const KNOWN_EPSG_CODES = Object.keys(KNOWN).map(Number);

export interface CoordinateSystem {
  epsg: number;
  name: string;
  /** Positions of this system to EPSG:3035 metres, the INSPIRE grid's. */
  toLaea(x: number, y: number): [east: number, north: number];
}

/** The system of an EPSG code, undefined when not among {@link KNOWN_EPSG_CODES}. */
export function coordinateSystem(epsg: number): CoordinateSystem | undefined {
  const known = KNOWN[epsg];
  if (!known) return undefined;
  const converter = proj4(known.definition, EPSG_3035);
  return {
    epsg,
    name: known.name,
    toLaea(x, y) {
      const [east, north] = converter.forward([x, y]);
      return [east!, north!];
    },
  };
}

/** The EPSG code in a CRS name such as « EPSG:2154 », « urn:ogc:def:crs:EPSG::2154 » or OGC's CRS84; undefined otherwise. */
export function epsgOfName(name: string): number | undefined {
  if (/^urn:ogc:def:crs:OGC:[\d.]*:CRS84$/i.test(name)) return 4326;
  const match = /EPSG:{1,2}(\d+)$/i.exec(name.trim());
  return match ? Number(match[1]) : undefined;
}
