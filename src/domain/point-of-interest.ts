/**
 * Points of interest a zone should cover (the arrêtés of the New Deal name them): a town hall,
 * a campsite, a farm, a road junction… loaded by `npm run data -- import poi FILE`.
 */
export interface PointOfInterest {
  name: string;
  /** Free text from the file (« mairie », « camping »…). */
  kind: string;
  lat: number;
  lon: number;
  /** The 200 m cell it lies in. */
  cellId: string;
}
