import { EQUATOR_METRES_PER_PIXEL, toRadians } from '../../domain/geo.ts';

/**
 * How precise a point placed by hand on a map is: what a fingertip covers at the map's zoom.
 * A tap lands somewhere under a fingertip about 48 px wide, so the point is known to within
 * half that, FINGER_RADIUS_PX, converted to metres at the map's scale. Used for residents'
 * pins and agents' readings placed by hand alike (docs/api.md).
 */

/** Half a fingertip's width on a phone screen, in CSS pixels. */
export const FINGER_RADIUS_PX = 24;
/** A point placed by hand must be at least this precise to say which 200 m cell it is in. */
export const PIN_MAX_ACCURACY_M = 100;

/** Metres covered by FINGER_RADIUS_PX pixels at this zoom and latitude (at least 1 m). */
export function pinAccuracyM(lat: number, zoom: number): number {
  const metresPerPixel = (EQUATOR_METRES_PER_PIXEL * Math.cos(toRadians(lat))) / 2 ** zoom;
  return Math.max(1, Math.round(metresPerPixel * FINGER_RADIUS_PX));
}

/** The lowest whole zoom at which a pin at this latitude is within PIN_MAX_ACCURACY_M. */
export function zoomForPin(lat: number): number {
  let zoom = 0;
  while (pinAccuracyM(lat, zoom) > PIN_MAX_ACCURACY_M && zoom < 22) zoom += 1;
  return zoom;
}

export const ZOOM_IN_HINT = `Zoomez pour placer le point à moins de ${PIN_MAX_ACCURACY_M} m`;
