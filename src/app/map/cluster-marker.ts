import L from 'leaflet';
import { LEVEL_COLOURS, LEVEL_LABELS } from '../../domain/level.ts';
import type { ReadingClusterProperties } from '../../domain/reading-clusters.ts';
import { clusterDiameter, dominantLevel } from './cluster-style.ts';
import { plural } from '../format.ts';

/**
 * One cluster as a small DOM marker with its count. A view holds at most one cluster per
 * 64-pixel square (a few hundred on a desktop screen), so DOM markers stay cheap, and the
 * count is real text (readable, selectable, testable), which a canvas circle could not carry.
 */
export function clusterMarker(at: L.LatLngExpression, properties: ReadingClusterProperties, onDevice: boolean): L.Marker {
  const level = dominantLevel(properties.byLevel);
  const size = clusterDiameter(properties.count);
  const element = document.createElement('div');
  element.className = `reading-cluster${onDevice ? ' on-device' : ''}`;
  element.dataset.count = String(properties.count);
  element.dataset.level = level;
  element.style.background = LEVEL_COLOURS[level];
  element.style.width = element.style.height = element.style.lineHeight = `${size}px`;
  element.textContent = properties.count.toLocaleString('fr-FR');
  element.title = `${plural(properties.count, 'relevé')}${onDevice ? ' de cet appareil' : ' du serveur'} ; surtout « ${LEVEL_LABELS[level]} »`;
  const icon = L.divIcon({ html: element, className: 'reading-cluster-icon', iconSize: [size, size] });
  return L.marker(at, { icon, keyboard: false, ...(onDevice && { zIndexOffset: 1000 }) });
}
