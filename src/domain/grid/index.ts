/** The coverage grid (issue 4, part 1): see README.md in this folder. */
export * from './laea.ts';
export * from './cell-id.ts';
export * from './cell-geometry.ts';
export * from './group-stats.ts';
export * from './grid-accumulator.ts';
export * from './wilson.ts';
export * from './test-tally.ts';
export * from './cell-verdict.ts';
export * from './operator-figures.ts';
export * from './judge-grid.ts';
export * from './outline.ts';
export * from './zone-suggestion.ts';
export * from './cell-geojson.ts';
