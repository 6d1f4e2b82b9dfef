import { describe, expect, it } from 'vitest';
import { ringContains, shapeContains, shapeOf } from '../../src/server/communes/point-in-polygon.ts';
import { createShapeIndex } from '../../src/server/communes/shape-index.ts';

const square = (x0: number, y0: number, x1: number, y1: number) => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];

describe('point in polygon', () => {
  it('finds points inside a ring and not outside, on a concave ring too', () => {
    // A "U": the notch between its arms is outside.
    const u = shapeOf({
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [3, 0],
          [3, 3],
          [2, 3],
          [2, 1],
          [1, 1],
          [1, 3],
          [0, 3],
          [0, 0],
        ],
      ],
    });
    expect(shapeContains(u, 0.5, 2)).toBe(true);
    expect(shapeContains(u, 2.5, 2)).toBe(true);
    expect(shapeContains(u, 1.5, 2)).toBe(false);
    expect(shapeContains(u, 1.5, 0.5)).toBe(true);
    expect(shapeContains(u, 4, 1)).toBe(false);
  });

  it('leaves out the holes of a polygon', () => {
    const withHole = shapeOf({ type: 'Polygon', coordinates: [square(0, 0, 4, 4), square(1, 1, 3, 3)] });
    expect(shapeContains(withHole, 0.5, 0.5)).toBe(true);
    expect(shapeContains(withHole, 2, 2)).toBe(false);
  });

  it('finds points in any polygon of a MultiPolygon, holes included', () => {
    const multi = shapeOf({ type: 'MultiPolygon', coordinates: [[square(0, 0, 1, 1)], [square(5, 5, 8, 8), square(6, 6, 7, 7)]] });
    expect(shapeContains(multi, 0.5, 0.5)).toBe(true);
    expect(shapeContains(multi, 5.5, 5.5)).toBe(true);
    expect(shapeContains(multi, 6.5, 6.5)).toBe(false);
    expect(shapeContains(multi, 3, 3)).toBe(false);
    expect(multi.bbox).toEqual([0, 0, 8, 8]);
  });

  it('puts a point on an edge shared by two neighbours in exactly one of them', () => {
    const west = shapeOf({ type: 'Polygon', coordinates: [square(0, 0, 1, 1)] });
    const east = shapeOf({ type: 'Polygon', coordinates: [square(1, 0, 2, 1)] });
    for (const lat of [0.1, 0.5, 0.9]) expect([shapeContains(west, 1, lat), shapeContains(east, 1, lat)].filter(Boolean)).toHaveLength(1);
  });

  it('takes rings whether or not they repeat their first vertex', () => {
    const open = new Float64Array([0, 0, 2, 0, 2, 2, 0, 2]);
    expect(ringContains(open, 1, 1)).toBe(true);
    expect(ringContains(open, 3, 1)).toBe(false);
  });

  it.each([
    [
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
          ],
        ],
      },
      'anneau de 2 sommet(s)',
    ],
    [{ type: 'Polygon', coordinates: [] }, 'Polygon sans anneau'],
    [
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 'x'],
            [1, 1],
          ],
        ],
      },
      'sommet [1,"x"]',
    ],
    [{ type: 'MultiPolygon', coordinates: 'x' }, 'une liste est attendue'],
    [
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [200, 0],
            [1, 1],
          ],
        ],
      },
      'sommet [200,0]',
    ],
  ] as const)('refuses a broken geometry with a French message (%#)', (geometry, message) => {
    expect(() => shapeOf(geometry)).toThrow(message);
  });
});

describe('shape index', () => {
  it('answers the shape holding the point among many, through their boxes then exactly', () => {
    const entries = [];
    for (let x = 0; x < 30; x += 1)
      for (let y = 0; y < 30; y += 1) entries.push({ shape: shapeOf({ type: 'Polygon', coordinates: [square(x, y, x + 1, y + 1)] }), value: `${x}/${y}` });
    // A triangle whose box covers 40/40–42/42 but not its upper-left half.
    entries.push({
      shape: shapeOf({
        type: 'Polygon',
        coordinates: [
          [
            [40, 40],
            [42, 40],
            [42, 42],
            [40, 40],
          ],
        ],
      }),
      value: 'triangle',
    });
    const index = createShapeIndex(entries);
    expect(index.size).toBe(901);
    expect(index.find(12.5, 7.5)).toBe('12/7');
    expect(index.find(41.5, 40.5)).toBe('triangle');
    expect(index.find(40.5, 41.5)).toBeUndefined();
    expect(index.find(-5, -5)).toBeUndefined();
  });

  it('answers nothing when empty', () => {
    expect(createShapeIndex([]).find(0, 0)).toBeUndefined();
  });
});
