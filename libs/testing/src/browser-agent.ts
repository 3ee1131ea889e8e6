/**
 * A small cookie-keeping HTTP client that walks redirects the way a browser does, for driving
 * OIDC front-channel flows in tests and benchmarks without a browser. Cookies are kept per host
 * (path and expiry are ignored: tests are short and only ever talk to their own servers).
 */
export class BrowserAgent {
  private readonly jar = new Map<string, Map<string, string>>();
  /** Every URL requested, in order (tests check which replica or page served a step). */
  readonly visited: string[] = [];

  cookieHeader(url: URL): string {
    return [...(this.jar.get(url.host) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).host)?.get(name);
  }

  private store(url: URL, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const cookies = this.jar.get(url.host) ?? new Map<string, string>();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
      this.jar.set(url.host, cookies);
    }
  }

  async request(url: string, init: { method?: string; form?: Record<string, string>; body?: string; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
    const target = new URL(url);
    this.visited.push(target.href);
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    let body = init.body;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(target, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body, redirect: 'manual', signal: init.signal });
    this.store(target, res);
    return res;
  }

  /**
   * Follows redirects from `url` until a response is not a redirect or the next location starts
   * with `stopAt` (a client's redirect_uri). Returns the last response and, if stopped, that URL.
   */
  async follow(url: string, init: Parameters<BrowserAgent['request']>[1] = {}, stopAt?: string): Promise<{ res: Response; url: string; stoppedAt?: string }> {
    let res = await this.request(url, init);
    let current = url;
    for (let hops = 0; hops < 20 && res.status >= 300 && res.status < 400; hops++) {
      const location = new URL(res.headers.get('location')!, current).href;
      await res.arrayBuffer();
      if (stopAt && location.startsWith(stopAt)) return { res, url: current, stoppedAt: location };
      current = location;
      res = await this.request(current);
    }
    return { res, url: current };
  }
}

/** The action URL of the first form on a page whose action ends with `suffix`. */
export function formAction(pageHtml: string, suffix: string, base: string): string | undefined {
  for (const match of pageHtml.matchAll(/<form[^>]*action="([^"]+)"/g)) {
    const action = match[1].replace(/&amp;/g, '&');
    if (action.endsWith(suffix)) return new URL(action, base).href;
  }
  return undefined;
}

function unescapeAttribute(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * The hidden fields (name → value) of the first form on a page whose action ends with `suffix`,
 * e.g. its anti-forgery token: what a browser posts besides what the user types.
 */
export function hiddenFields(pageHtml: string, suffix: string): Record<string, string> {
  for (const match of pageHtml.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)) {
    if (!unescapeAttribute(match[1]).endsWith(suffix)) continue;
    const fields: Record<string, string> = {};
    for (const input of match[2].matchAll(/<input[^>]*>/g)) {
      if (!/type="hidden"/.test(input[0])) continue;
      const name = /name="([^"]*)"/.exec(input[0])?.[1];
      if (name) fields[unescapeAttribute(name)] = unescapeAttribute(/value="([^"]*)"/.exec(input[0])?.[1] ?? '');
    }
    return fields;
  }
  return {};
}
