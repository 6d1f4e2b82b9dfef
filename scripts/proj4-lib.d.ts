// proj4 ships types for its package entry only; these are the three inner modules that
// scripts/proj4-laea.ts assembles, typed as that file uses them.
declare module 'proj4/lib/core' {
  import type proj4 from 'proj4';
  const core: typeof proj4;
  export default core;
}
declare module 'proj4/lib/Proj' {
  const Proj: { projections: { add(projection: unknown): void } };
  export default Proj;
}
declare module 'proj4/lib/projections/laea' {
  const laea: unknown;
  export default laea;
}
