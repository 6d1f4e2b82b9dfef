import L from 'leaflet';
import 'leaflet/dist/leaflet.css';

/**
 * Leaflet as every map of the app uses it (survey map, « Couverture », campaigns, residents'
 * pin, dossier): imported from here, never from 'leaflet' directly where a map is created, so
 * that the texts Leaflet writes into the page are French before the first map exists.
 * Leaflet's own defaults are English: « Zoom in », « Close popup », its credit's tooltip.
 */

L.Control.Zoom.prototype.options.zoomInTitle = 'Zoomer';
L.Control.Zoom.prototype.options.zoomOutTitle = 'Dézoomer';
L.Control.Attribution.prototype.options.prefix = '<a href="https://leafletjs.com" title="Bibliothèque JavaScript de cartes interactives">Leaflet</a>';

/** The popups' close button is labelled in English by Leaflet's code itself (no option): renamed as each opens. */
export const POPUP_CLOSE_LABEL = 'Fermer';

L.Map.addInitHook(function (this: L.Map) {
  this.on('popupopen', (event) => {
    const close = event.popup.getElement()?.querySelector('.leaflet-popup-close-button');
    close?.setAttribute('aria-label', POPUP_CLOSE_LABEL);
    close?.setAttribute('title', POPUP_CLOSE_LABEL);
  });
});

export default L;
