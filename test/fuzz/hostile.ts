import fc from 'fast-check';

/**
 * Hostile input for the fuzz suites: strings, JSON text and raw bodies that an attacker, a
 * broken client or a corrupted file could send. JSON is produced as TEXT, not through
 * JSON.stringify of objects, so that duplicate keys, `__proto__` keys and numbers JavaScript
 * cannot hold reach the server exactly as written.
 */

/** Strings that have broken servers before: injections, markup, encodings, edge numbers. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  "' OR '1'='1",
  "'; DROP TABLE readings; --",
  '" OR ""="',
  '1; DELETE FROM users',
  "Robert'); DROP TABLE zones;--",
  '%',
  '_',
  '\\',
  '"',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '</textarea><svg onload=alert(1)>',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection probe, sent as plain text on purpose.
  '${7*7}',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF\uD800',
  '\uFEFF',
  '\u202E\u0635',
  'é'.normalize('NFD'),
  '👩‍👩‍👧‍👦',
  '\r\n\r\n',
  '=cmd|" /C calc"!A0',
  '+33 6 12 34 56 78',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '-1e309',
  '0x10',
  '9007199254740993',
  'null',
  'true',
  'undefined',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '2026-02-30T25:61:61Z',
  '0000-00-00',
  '9999-12-31T23:59:59.999+14:00',
  '34261',
  '2A004',
  '00000000-0000-0000-0000-000000000000',
  'x'.repeat(5_000),
];

/** Keys that must never change an object's prototype or a server's behaviour. */
export const NASTY_KEYS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'id',
  'role',
  'admin',
  '',
  ' ',
  '$where',
  'a.b',
  '🙂',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 5 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  // Any code unit, lone surrogates included.
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.nat({ max: 200_000 }).map((n) => 'é'.repeat(n)), weight: 1 },
);

/** Number tokens as JSON text: some JavaScript cannot represent exactly or at all. */
const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.constantFrom('1e999', '-1e999', '-0', '0.0000000000000000000000001', '123456789012345678901234567890', '1E+2', '4.9e-325', '-90.0000001', '180.5'),
);

const keyText: fc.Arbitrary<string> = fc.oneof({ arbitrary: fc.constantFrom(...NASTY_KEYS), weight: 2 }, { arbitrary: hostileString, weight: 1 });

/** Any JSON value, as text; objects may repeat keys and carry `__proto__`. */
export const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.constantFrom('null', 'true', 'false'),
    numberText,
    hostileString.map((s) => JSON.stringify(s)),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 5 }).map((items) => `[${items.join(',')}]`),
  object: fc.array(fc.tuple(keyText, tie('value')), { maxLength: 5 }).map(objectText),
})).value;

function objectText(entries: readonly (readonly [string, string])[]): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
}

/**
 * A valid value, mostly kept, with some of its parts replaced by hostile JSON, dropped, given
 * again under the same key, or with hostile entries added: many requests stay valid (to check
 * they are stored), many are wrong in one place only (to check that place is caught).
 */
export function mutated(value: unknown, depth = 0): fc.Arbitrary<string> {
  if (Array.isArray(value)) {
    const items = value.length === 0 ? fc.constant([] as string[]) : fc.tuple(...value.map((item) => mutated(item, depth + 1)));
    return fc.tuple(items, fc.array(jsonText, { maxLength: depth === 0 ? 2 : 1 })).map(([kept, extra]) => `[${[...kept, ...extra].join(',')}]`);
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, inner]) =>
      fc.oneof(
        { arbitrary: mutated(inner, depth + 1).map((text) => [[key, text]] as [string, string][]), weight: 12 },
        { arbitrary: fc.constant([] as [string, string][]), weight: 1 },
        { arbitrary: jsonText.map((text) => [[key, text]] as [string, string][]), weight: 1 },
        // The same key twice: JSON.parse keeps the last one.
        {
          arbitrary: jsonText.map(
            (text) =>
              [
                [key, JSON.stringify(inner)],
                [key, text],
              ] as [string, string][],
          ),
          weight: 1,
        },
      ),
    );
    const kept = entries.length === 0 ? fc.constant([] as [string, string][][]) : fc.tuple(...entries);
    const extra = fc.oneof(
      { arbitrary: fc.constant([] as [string, string][]), weight: 4 },
      { arbitrary: fc.array(fc.tuple(keyText, jsonText), { minLength: 1, maxLength: 2 }), weight: 1 },
    );
    return fc.tuple(kept, extra).map(([groups, more]) => objectText([...groups.flat(), ...more]));
  }
  return fc.oneof({ arbitrary: fc.constant(JSON.stringify(value) ?? 'null'), weight: 10 }, { arbitrary: jsonText, weight: 1 });
}

const DEPTH = 50_000;

/** Bodies too big, too deep or not JSON at all, built once (some weigh most of a megabyte). */
function rawBodies(): (string | Buffer)[] {
  const deepArray = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
  const deepObject = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;
  return [
    deepArray,
    deepObject,
    `{"readings":[${deepArray}]}`,
    `{"readings":${deepObject}}`,
    `{"reports":[${deepObject}]}`,
    `{"name":${deepArray}}`,
    `{"cells":[${deepArray}]}`,
    `{"readings":[${'{},'.repeat(250_000)}{}]}`,
    `{"reports":[${'0,'.repeat(400_000)}0]}`,
    `[${'1,'.repeat(450_000)}1]`,
    `{"readings":"${'a'.repeat(1_100_000)}"}`,
    `{"name":"${'é'.repeat(450_000)}","email":"${'x'.repeat(10)}@example.fr"}`,
    `{"notes":"${'<b>'.repeat(300_000)}"}`,
    Buffer.concat([Buffer.from('{"readings":[{"id":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]), Buffer.from('"}]}')]),
    Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xed, 0xa0, 0x80, 0xc0, 0xaf]), Buffer.from('","email":"a@b.fr"}')]),
    Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('{"readings":[]}')]),
    Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
    Buffer.alloc(2_000, 0),
    '',
    ' ',
    'null',
    '0',
    'true',
    '"texte"',
    '[]',
    '{}',
    '{',
    '{"readings":[',
    '{"a":1}{"b":2}',
    '{"a":1,}',
    "{'a':1}",
    '{"__proto__":{"role":"admin","isAdmin":true}}',
    '{"constructor":{"prototype":{"role":"admin"}}}',
    '{"readings":[{"__proto__":{"source":"agent"}}]}',
    'email=a@b.fr&password=x',
    '<?xml version="1.0"?><readings/>',
    '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
  ];
}

let cached: (string | Buffer)[] | undefined;
export const rawBody: fc.Arbitrary<string | Buffer> = fc.nat().map((n) => {
  cached ??= rawBodies();
  return cached[n % cached.length]!;
});

export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 12 },
  {
    arbitrary: fc.constantFrom(
      undefined,
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'APPLICATION/JSON',
      'application/json, text/html',
      'text/plain',
      'text/html',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/xml',
      'application/geo+json',
      'application/vnd.api+json',
      '',
      ';',
      'application/json; boundary=""""',
    ),
    weight: 4,
  },
);

/** Percent-encodes the UTF-8 bytes of a string: lone surrogates become U+FFFD instead of throwing. */
export function encodePart(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

/** Path or query text that is not even well-formed percent-encoding or UTF-8. */
export const brokenEncoding: fc.Arbitrary<string> = fc.constantFrom(
  '%',
  '%zz',
  '%E0%A4%A',
  '%C3%28',
  '%FF%FE',
  '%ED%A0%80',
  '%00',
  '%2F..%2F',
  '..',
  '.',
  '%25',
  '9'.repeat(5_000),
  '%C0%AF',
);

/** A path parameter: a real id (the request may then do something), or junk. */
export function pathParam(realIds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...realIds), weight: 4 },
    { arbitrary: hostileString.filter((s) => s.length > 0).map(encodePart), weight: 3 },
    { arbitrary: brokenEncoding, weight: 1 },
  );
}

/** A query string (already encoded) made from the route's own parameters (values mutated), unknown ones, repeats and broken encodings. */
export function queryString(valid: Readonly<Record<string, string>>, names: readonly string[]): fc.Arbitrary<string> {
  const kept = Object.entries(valid).map(([name, value]) =>
    fc.oneof(
      { arbitrary: fc.constant([[encodePart(name), encodePart(value)]]), weight: 6 },
      { arbitrary: fc.constant([]), weight: 1 },
      { arbitrary: hostileString.map((s) => [[encodePart(name), encodePart(s)]]), weight: 2 },
      {
        arbitrary: fc.constant([
          [encodePart(name), encodePart(value)],
          [encodePart(name), encodePart(value)],
        ]),
        weight: 1,
      },
    ),
  );
  const extra = fc.array(
    fc.oneof(
      fc.tuple(fc.constantFrom(...names, ...NASTY_KEYS).map(encodePart), hostileString.map(encodePart)),
      fc.tuple(fc.constantFrom(...names).map(encodePart), brokenEncoding),
      fc.tuple(brokenEncoding, fc.constant('1')),
      fc.tuple(fc.constantFrom('a[b]', 'a[]', '__proto__[role]', 'constructor[prototype][x]'), fc.constant('1')),
    ),
    { maxLength: 3 },
  );
  return fc
    .tuple(kept.length === 0 ? fc.constant([]) : fc.tuple(...kept), fc.oneof({ arbitrary: fc.constant([]), weight: 3 }, { arbitrary: extra, weight: 2 }))
    .map(([groups, more]) => {
      const pairs = [...(groups as string[][][]).flat(), ...(more as string[][])];
      return pairs.length === 0 ? '' : `?${pairs.map(([name, value]) => `${name}=${value}`).join('&')}`;
    });
}
