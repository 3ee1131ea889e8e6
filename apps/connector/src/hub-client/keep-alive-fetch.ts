import http from 'node:http';
import https from 'node:https';
import type { HttpFetch } from '../connector.tokens';

/**
 * Keep-alive pools for the connector's outbound calls. `timeout` only closes idle pooled sockets:
 * Node then also honours the server's `Keep-Alive: timeout=…` hint (minus a second), so a socket
 * is not reused just as the server closes it. Requests carry their own deadline (AbortSignal).
 */
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 256, maxFreeSockets: 64, timeout: 30_000 };
const agents = { 'http:': new http.Agent(AGENT_OPTIONS), 'https:': new https.Agent(AGENT_OPTIONS) };

export const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** What the global fetch rejects with for a transport failure: a TypeError whose cause is the socket error. */
export function fetchFailed(cause: unknown): TypeError {
  return Object.assign(new TypeError('fetch failed'), { cause });
}

export function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(headers as Iterable<[string, string]>);
  return headers as Record<string, string>;
}

/**
 * `fetch` for the connector's own calls (peer exchange, service adapter, hub), over node:http with
 * a keep-alive pool. The global fetch (undici) costs about twice the CPU per call, and the
 * exchange path makes two calls per exchange. Only what the connector uses is done here — string
 * or byte bodies, `redirect: 'error'` — everything else (streams, redirects followed, a Request
 * object) goes to the global fetch, so behaviour never silently differs. Failures look like the
 * global fetch's: the signal's reason when aborted (a TimeoutError), else a TypeError with the
 * socket error as cause. The answer is a real `Response` over the fully read body.
 */
/** The calls the own client makes itself (a URL string, a string or byte body, `redirect: 'error'`); the rest go to the global fetch. */
export function ownClientTakes(input: Parameters<HttpFetch>[0], init: RequestInit): input is string {
  const body = init.body;
  const simpleBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
  return typeof input === 'string' && init.redirect === 'error' && simpleBody;
}

/** The URL of a call, or the TypeError the global fetch would reject a malformed one with. */
export function parseUrl(input: string): URL | TypeError {
  try {
    return new URL(input);
  } catch (error) {
    return fetchFailed(error);
  }
}

export const keepAliveFetch: HttpFetch = (input, init = {}) => {
  if (!ownClientTakes(input, init)) return fetch(input, init);
  const body = init.body as string | Uint8Array | null | undefined;
  const url = parseUrl(input);
  if (url instanceof TypeError) return Promise.reject(url);
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent) return fetch(input, init);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const transport = url.protocol === 'https:' ? https : http;

  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      reject(signal?.aborted ? signal.reason : fetchFailed(error));
    };
    const req = transport.request(url, { method: init.method ?? 'GET', headers: plainHeaders(init.headers), agent }, (res) => {
      const status = res.statusCode ?? 0;
      if (REDIRECTS.has(status) && res.headers.location) {
        res.resume();
        fail(new Error('unexpected redirect'));
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('close', () => {
        if (!res.complete) fail(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' }));
      });
      res.on('end', () => {
        if (settled) return;
        const headers = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        let response: Response;
        try {
          const empty = status === 204 || status === 205 || status === 304 || init.method === 'HEAD';
          response = new Response(empty ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers });
        } catch (error) {
          fail(error); // a status the Response type cannot carry (1xx, > 599)
          return;
        }
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        resolve(response);
      });
    });
    const onAbort = () => {
      req.destroy(signal!.reason as Error);
      fail(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', fail);
    req.end(body ?? undefined);
  });
};
