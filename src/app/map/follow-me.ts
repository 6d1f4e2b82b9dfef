import L from 'leaflet';

/** Close enough to see the streets around the agent, and the 200 m cells. */
const FOLLOW_ZOOM = 16;

export interface FollowMeState {
  /** The map re-centres on each new position. */
  following: boolean;
  /** The user moved the map by hand, which stopped the following. */
  stoppedByPan: boolean;
  error?: string;
}

/**
 * « Me suivre »: the phone's position and its accuracy circle (watchPosition), the map
 * centred on it as it moves, until the user drags the map. Leaflet fires `dragstart` only
 * for a hand's drag, never for the setView calls made here.
 */
export class FollowMe {
  private watchId: number | undefined;
  private accuracy: L.Circle | undefined;
  private dot: L.CircleMarker | undefined;
  private state: FollowMeState = { following: false, stoppedByPan: false };

  constructor(
    private readonly map: L.Map,
    private readonly onChange: (state: FollowMeState) => void,
  ) {
    map.on('dragstart', this.onDrag);
  }

  start(): void {
    this.set({ following: true, stoppedByPan: false });
    const last = this.dot?.getLatLng();
    if (last) this.map.setView(last, Math.max(this.map.getZoom(), FOLLOW_ZOOM));
    this.watchId ??= navigator.geolocation.watchPosition(this.onPosition, this.onError, { enableHighAccuracy: true, maximumAge: 5000 });
  }

  /** Stops re-centring; the position stays drawn while the watch runs. */
  stop(): void {
    this.set({ following: false, stoppedByPan: false });
  }

  dispose(): void {
    if (this.watchId !== undefined) navigator.geolocation.clearWatch(this.watchId);
    this.watchId = undefined;
    this.map.off('dragstart', this.onDrag);
    this.accuracy?.remove();
    this.dot?.remove();
  }

  private set(state: FollowMeState): void {
    this.state = state;
    this.onChange(state);
  }

  private readonly onDrag = () => {
    if (this.state.following) this.set({ following: false, stoppedByPan: true });
  };

  private readonly onPosition = (position: GeolocationPosition) => {
    const at = L.latLng(position.coords.latitude, position.coords.longitude);
    const radius = position.coords.accuracy;
    if (!this.accuracy) {
      this.accuracy = L.circle(at, { radius, interactive: false, color: '#1565c0', weight: 1, fillOpacity: 0.12, className: 'follow-accuracy' }).addTo(
        this.map,
      );
      this.dot = L.circleMarker(at, {
        radius: 7,
        interactive: false,
        color: '#ffffff',
        weight: 2,
        fillColor: '#1565c0',
        fillOpacity: 1,
        className: 'follow-position',
      }).addTo(this.map);
    } else {
      this.accuracy.setLatLng(at).setRadius(radius);
      this.dot!.setLatLng(at);
    }
    if (this.state.error) this.set({ ...this.state, error: undefined });
    if (this.state.following) this.map.setView(at, Math.max(this.map.getZoom(), FOLLOW_ZOOM));
  };

  private readonly onError = (error: GeolocationPositionError) => {
    const message =
      error.code === error.PERMISSION_DENIED
        ? 'Position refusée : autorisez la localisation pour être suivi sur la carte.'
        : 'Position indisponible pour le moment.';
    this.set({ ...this.state, error: message });
  };
}
