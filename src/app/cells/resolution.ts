/** A cell's side as a reviewer reads it: « 200 m », « 1 km », « 10 km ». */
export function formatResolutionM(metres: number): string {
  return metres >= 1000 ? `${metres / 1000} km` : `${metres} m`;
}
