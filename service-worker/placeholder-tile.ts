/// <reference lib="webworker" />

/**
 * What the map shows where a tile is neither downloaded nor reachable: a grey hatched square
 * that says so, 256 px like every tile, instead of a hole or a broken image.
 */
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
<defs><pattern id="h" width="12" height="12" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
<rect width="12" height="12" fill="#ececec"/><rect width="4" height="12" fill="#d9d9d9"/></pattern></defs>
<rect width="256" height="256" fill="url(#h)"/>
<rect x="0.5" y="0.5" width="255" height="255" fill="none" stroke="#c4c4c4"/>
<rect x="58" y="112" width="140" height="30" rx="4" fill="#ffffff" fill-opacity="0.85"/>
<text x="128" y="132" font-family="sans-serif" font-size="15" text-anchor="middle" fill="#4d4d4d">Non téléchargé</text>
</svg>`;

export function placeholderTile(): Response {
  return new Response(SVG, {
    headers: {
      'content-type': 'image/svg+xml; charset=utf-8',
      // Never kept: the real tile must show as soon as the network or a download brings it.
      'cache-control': 'no-store',
    },
  });
}
