import { Agent, request } from 'undici';
import type { HttpFetch } from '../../apps/connector/src/connector.tokens';
import { fetchFailed, ownClientTakes, parseUrl, plainHeaders, REDIRECTS } from '../../apps/connector/src/hub-client/keep-alive-fetch';

/**
 * Keep-alive pools for the connector's outbound calls: undici's Agent keeps one pool per origin.
 * `keepAliveTimeout` closes idle pooled sockets (the server's `Keep-Alive: timeout=…` hint, when
 * shorter, wins); requests carry their own deadline (AbortSignal).
 */
const dispatcher = new Agent({ connections: 256, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 });

/**
 * The candidate the relayout issue asked to measure: the connector's fetch-shaped client on
 * undici's pooled `request` instead of node:http. Same contract as `keepAliveFetch` (its spec
 * passes against it, socket reuse aside: undici releases a socket a tick after the body ends).
 * Kept in bench/ only: it did not beat node:http behind the fetch shape (docs/benchmarks.md).
 */
export const undiciFetch: HttpFetch = async (input, init = {}) => {
  if (!ownClientTakes(input, init)) return fetch(input, init);
  const body = init.body as string | Uint8Array | null | undefined;
  const url = parseUrl(input);
  if (url instanceof TypeError) throw url;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fetch(input, init);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) throw signal.reason;
  const method = (init.method ?? 'GET').toUpperCase();
  try {
    const res = await request(url, { method: method as 'GET', headers: plainHeaders(init.headers), body: body ?? undefined, signal, dispatcher });
    if (REDIRECTS.has(res.statusCode) && res.headers.location) {
      await res.body.dump();
      throw fetchFailed(new Error('unexpected redirect'));
    }
    const bytes = new Uint8Array(await res.body.arrayBuffer());
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.append(name, value);
    }
    const empty = res.statusCode === 204 || res.statusCode === 205 || res.statusCode === 304 || method === 'HEAD';
    // A status the Response type cannot carry (1xx, > 599) throws here: reported as a failure.
    return new Response(empty ? null : bytes, { status: res.statusCode, headers });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof TypeError && error.message === 'fetch failed') throw error;
    throw fetchFailed(error);
  }
};
