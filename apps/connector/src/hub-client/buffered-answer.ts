import type { HttpAnswer } from '../connector.tokens';

/** Header names and values of an answer, read case-insensitively; repeated fields joined with ", " as the fetch Headers do. */
export class AnswerHeaders {
  private readonly fields = new Map<string, string>();

  constructor(rawHeaders: readonly string[]) {
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = rawHeaders[i].toLowerCase();
      const value = rawHeaders[i + 1].trim();
      const before = this.fields.get(name);
      this.fields.set(name, before === undefined ? value : `${before}, ${value}`);
    }
  }

  get(name: string): string | null {
    return this.fields.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.fields.has(name.toLowerCase());
  }

  *entries(): IterableIterator<[string, string]> {
    yield* this.fields.entries();
  }
}

/**
 * An answer whose body has been read in full: what `keepAliveFetch` resolves with. It behaves as a
 * fetch `Response` for what the connector reads — `status`, `ok`, `headers.get`, one of `text()`,
 * `json()` or `arrayBuffer()` (a second read rejects, as a `Response`'s does) — without the
 * global `Response` and `Headers`, whose first use loads undici: about 13 MB of RSS per connector
 * process (docs/benchmarks.md, "Connector memory").
 */
export class BufferedAnswer implements HttpAnswer {
  readonly redirected = false;
  /** The body was read with the answer: nothing to cancel. */
  readonly body = null;
  readonly headers: AnswerHeaders;
  private used = false;

  constructor(readonly status: number, readonly statusText: string, rawHeaders: readonly string[], private readonly bytes: Buffer | undefined) {
    this.headers = new AnswerHeaders(rawHeaders);
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  async text(): Promise<string> {
    const text = this.take().toString('utf8');
    // As fetch's UTF-8 decode: a byte order mark is not part of the text.
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  async json(): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- as Response.json()
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  private take(): Buffer {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.bytes ?? Buffer.alloc(0);
  }
}
