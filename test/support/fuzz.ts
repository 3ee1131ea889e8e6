/**
 * Malformed requests for the bounded fuzz tier (test/fuzz.e2e-spec.ts): bodies, queries and path
 * values drawn from a seeded generator, so that a failing walk can be replayed with FUZZ_SEED.
 */

/** mulberry32: a small seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of this run: FUZZ_SEED to replay one, else a fresh one. */
export function fuzzSeed(env: string | undefined): number {
  return env ? Number(env) >>> 0 : Math.floor(Math.random() * 2 ** 32) >>> 0;
}

/** One malformed request: what it is, its body (raw) and content type, a query string, a path value. */
export interface FuzzCase {
  label: string;
  body?: string | Buffer;
  type?: string;
  query?: string;
  pathValue?: string;
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)];

/** Values of the wrong type or out of range for a field, as JSON text (some are not representable as JS values). */
const WRONG_VALUES: readonly string[] = [
  'null', 'true', 'false', '0', '-1', '1.5', '1e308', '-1e308', '1e400', String(2 ** 53 + 1), '-0', '9'.repeat(400),
  '""', '" "', '"x"', `"${'x'.repeat(10_000)}"`, '"2026-13-45T99:99:99Z"', '"NaN"', '"-1"', '"00000000-0000-0000-0000-000000000000"',
  '[]', '[1,2,3]', '["a","a"]', '[null]', '[[[]]]', '{}', '{"a":{"b":{}}}', '{"$ne":null}', '{"__proto__":{"admin":true}}',
];

/** Field names tried on every route besides those its own validation names. */
export const COMMON_FIELDS: readonly string[] = [
  'id', 'name', 'code', 'value', 'items', 'loginId', 'password', 'displayName', 'tenant', 'dataUse', 'expectedVersion', 'consentId',
  'challengeId', 'certificate', 'signature', 'url', 'redirectUris', 'cidrs', 'reason', 'version', 'localId', 'purpose', 'next', 'lang',
];

/** Query names tried on every route (repeated, as arrays where strings are expected). */
export const COMMON_QUERY: readonly string[] = [
  'page', 'limit', 'offset', 'from', 'to', 'since', 'cursor', 'q', 'status', 'type', 'tenant', 'lang', 'next', 'sort', 'before', 'after',
  'id', 'code', 'state', 'format', 'day', 'month', 'year', 'size', 'service', 'offer', 'actor', 'subject', 'error', 'error_description',
];

/** Path parameter values: extreme lengths, numbers, traversal, UUID look-alikes. */
export function pathValues(): string[] {
  return [
    'a'.repeat(8000), '9'.repeat(400), '-1', '..%2F..%2Fetc', '%25', '%F0%9F%98%80'.repeat(200), '00000000-0000-0000-0000-0000000000000',
  ];
}

/** Query strings with repeated and malformed parameters. */
export function queryCases(random: () => number): FuzzCase[] {
  const repeated = COMMON_QUERY.map((q) => `${q}=1&${q}=2`).join('&');
  return [
    { label: 'every common query parameter twice', query: repeated },
    {
      label: 'bracketed names, numbers out of range and a long value in the query',
      query: [...COMMON_QUERY.map((q) => `${q}[]=1&${q}[a]=${pick(random, ['-1', '1e400', '9'.repeat(400), 'NaN', '0x10', ''])}`), `${pick(random, COMMON_QUERY)}=${'x'.repeat(4000)}`].join('&'),
    },
  ];
}

function nested(levels: number, open: string, close: string, inner = '1'): string {
  return `${open.repeat(levels)}${inner}${close.repeat(levels)}`;
}

/** Malformed bodies for a route whose validation named `fields` (and the common ones); `limit` is its body limit in bytes. */
export function bodyCases(random: () => number, fields: readonly string[], limit: number): FuzzCase[] {
  const json = 'application/json';
  const form = 'application/x-www-form-urlencoded';
  const all = [...new Set([...fields, ...COMMON_FIELDS])];
  const object = (entries: [string, string][]) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
  const plausible = (_field: string) => pick(random, ['"x"', '"tottori.taro"', '1', '["a"]', '"2026-01-01"']);
  const cases: FuzzCase[] = [
    { label: 'an empty JSON body', body: '', type: json },
    { label: 'an empty form body', body: '', type: form },
    { label: 'no content type', body: 'x=1' },
    ...['[]', 'null', '"s"', '123', '{', '{"a":1}}', '\u00ef\u00bb\u00bf{}'].map((body) => ({ label: `JSON ${body}`, body, type: json })),
    { label: 'an array where an object is expected', body: `[${object(all.map((f) => [f, plausible(f)]))}]`, type: json },
    { label: 'duplicate keys', body: object(all.flatMap((f) => [[f, '"x"'], [f, pick(random, WRONG_VALUES)]] as [string, string][])), type: json },
    { label: '10,000 nested objects', body: nested(10_000, '{"a":', '}'), type: json },
    { label: '10,000 nested arrays', body: nested(10_000, '[', ']'), type: json },
    { label: `10,000 nested arrays in ${fields[0] ?? 'a field'}`, body: object([[fields[0] ?? 'items', nested(10_000, '[', ']')]]), type: json },
    { label: 'a huge array', body: `[${'0,'.repeat(Math.floor(limit / 2) - 10)}0]`, type: json },
    { label: 'a huge array in every field', body: object(all.map((f) => [f, `[${'"a",'.repeat(Math.floor(limit / (5 * all.length)) - 5)}"a"]`])), type: json },
    { label: 'a 100 kB string', body: object([[fields[0] ?? 'name', JSON.stringify('x'.repeat(100_000))]]), type: json },
    { label: 'a body just over the limit', body: object([[fields[0] ?? 'name', JSON.stringify('x'.repeat(limit - (fields[0] ?? 'name').length - 6))]]), type: json },
    { label: 'a form just over the limit', body: `${fields[0] ?? 'name'}=${'x'.repeat(limit)}`, type: form },
    { label: 'a body just under the limit', body: object([[fields[0] ?? 'name', JSON.stringify('x'.repeat(limit - 200))]]), type: json },
    { label: 'invalid UTF-8 bytes in JSON', body: Buffer.concat([Buffer.from(`{"${fields[0] ?? 'name'}":"`), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]), Buffer.from('"}')]), type: json },
    { label: 'invalid UTF-8 bytes in a form', body: Buffer.concat([Buffer.from(`${fields[0] ?? 'name'}=`), Buffer.from([0xff, 0xc3, 0x28])]), type: form },
    { label: 'text/plain', body: 'hello', type: 'text/plain' },
    { label: 'multipart garbage', body: '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n\u0001\u0002--b', type: 'multipart/form-data; boundary=b' },
    { label: 'application/json with a form body', body: all.map((f) => `${f}=1`).join('&'), type: json },
    { label: 'a form with a JSON body', body: object(all.map((f) => [f, '"x"'])), type: form },
    { label: 'JSON in UTF-16', body: Buffer.from('{"a":"b"}', 'utf16le'), type: 'application/json; charset=utf-16' },
    { label: 'JSON in an unknown charset', body: '{}', type: 'application/json; charset=x-unknown' },
    { label: 'a malformed content type', body: '{}', type: 'application/json; charset' },
    { label: 'repeated form fields', body: all.map((f) => `${f}=1&${f}=2`).join('&'), type: form },
    { label: 'bracketed form fields', body: all.map((f) => `${f}[a]=1&${f}[]=2`).join('&'), type: form },
    { label: 'malformed percent-encoding in a form', body: all.map((f) => `${f}=%E0%A4%A`).join('&'), type: form },
    { label: 'prototype keys', body: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},"toString":1,"hasOwnProperty":1}', type: json },
    { label: 'every field of every kind wrong', body: object(all.map((f) => [f, pick(random, WRONG_VALUES)])), type: json },
    { label: 'extra fields', body: object([...all.map((f) => [f, plausible(f)] as [string, string]), ['unexpected', '{"deep":[1,{"x":null}]}'], ['csrf', '1']]), type: json },
  ];
  for (const field of fields.length ? fields : COMMON_FIELDS.slice(0, 4)) {
    const others = fields.filter((f) => f !== field).map((f) => [f, plausible(f)] as [string, string]);
    cases.push({ label: `${field} missing`, body: object(others), type: json });
    const value = pick(random, WRONG_VALUES);
    cases.push({ label: `${field} = ${value.slice(0, 40)}`, body: object([...others, [field, value]]), type: json });
  }
  return cases;
}

/** A stack trace or an error with a file path in an answer's body. */
export function leaksStack(text: string): boolean {
  return /at .+\.(js|ts):\d+/.test(text) || /Error:[^\n]*\/(apps|libs|node_modules|dist)\//.test(text) || /\(\/[^)]+\.(js|ts):\d+:\d+\)/.test(text);
}
