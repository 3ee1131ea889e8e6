import { createHmac } from 'node:crypto';
import { Client } from 'pg';
import type { BrowserContext, Page } from 'playwright-core';
import { BrowserAgent } from '@tsunagu/testing';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET } from '../apps/hub/src/backoffice/auth/admin-demo-seed';

/**
 * Helpers of the admin e2e specs. TOTP codes are computed here with node:crypto (RFC 6238), not
 * with otplib, so the hub's implementation is checked against an independent one.
 */

function base32Decode(input: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of input.replace(/=+$/, '').toUpperCase()) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The 6-digit TOTP code of `secret` for a 30-second time step. */
export function totpAt(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

export const currentStep = () => Math.floor(Date.now() / 30_000);

const lastStep = new Map<string, number>();

/**
 * A fresh code for an account: the hub accepts each time step once per account, within one step
 * either side of now. Uses the next unused step, waiting for the clock when none is left.
 */
export async function nextCode(account: string, secret: string): Promise<string> {
  for (;;) {
    const now = currentStep();
    // A code from step now-1 falls out of the hub's ±1 window once the clock reaches now+1: use it
    // only while the current step has time left, so a slow request cannot cross the boundary.
    const earliest = 30_000 - (Date.now() % 30_000) > 8_000 ? now - 1 : now;
    const step = Math.max(earliest, (lastStep.get(account) ?? -Infinity) + 1);
    if (step <= now + 1) {
      lastStep.set(account, step);
      return totpAt(secret, step);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The value of a named hidden field (the CSRF token) in a page. */
export function field(page: string, name: string): string | undefined {
  return page.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1];
}

/** Text of the element with `data-testid`. */
export function testId(page: string, id: string): string | undefined {
  return page.match(new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`))?.[1];
}

/** A signed-in admin: a cookie-keeping agent and the session's CSRF token. */
export class AdminClient {
  readonly agent = new BrowserAgent();
  csrf = '';

  constructor(readonly hub: string, readonly loginId: string, readonly password: string, readonly secret: string) {}

  /** GET /admin/login, then POST the form; returns the sign-in response (not followed). */
  async signIn(options: { code?: string; password?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const form = await this.agent.request(`${this.hub}/admin/login`, { headers: options.headers });
    const page = await form.text();
    const res = await this.agent.request(`${this.hub}/admin/login`, {
      form: { loginId: this.loginId, password: options.password ?? this.password, code: options.code ?? await nextCode(this.loginId, this.secret), csrf: field(page, 'csrf') ?? '' },
      headers: options.headers,
    });
    if (res.status === 303) await this.refreshCsrf();
    return res;
  }

  async refreshCsrf(): Promise<void> {
    const res = await this.agent.request(`${this.hub}/admin/account`);
    const token = field(await res.text(), 'csrf');
    if (token) this.csrf = token;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.agent.request(`${this.hub}${path}`, { headers });
  }

  /** A form post with the CSRF token. */
  post(path: string, form: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Response> {
    return this.agent.request(`${this.hub}${path}`, { form: { csrf: this.csrf, ...form }, headers });
  }

  /** A JSON call (Accept: application/json, CSRF in the header). */
  async json(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; location: string | null }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const res = await this.agent.request(`${this.hub}${path}`, {
      method, headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': this.csrf },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // an HTML page or empty body
    }
    return { status: res.status, body: parsed, location: res.headers.get('location') };
  }
}

/** One-off SQL on the test database. */
export async function sql<T = Record<string, any>>(databaseUrl: string, text: string, values: unknown[] = []): Promise<T[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A public EC JWK (a connector's key) for inserted test rows. */
export const TEST_CONNECTOR_JWK = {
  kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
};

/**
 * Signs a demo admin in at the hub's admin login page in a browser (password and a fresh TOTP
 * code) and waits for the page the sign-in leads to (the tenant dashboard unless told).
 */
export async function signInAdminPage(context: BrowserContext, hubUrl: string, loginId: string, landing = new RegExp(`${hubUrl}/admin$`)): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${hubUrl}/admin/login`);
  await page.fill('#loginId', loginId);
  await page.fill('#password', DEMO_ADMIN_PASSWORD);
  await page.fill('#code', await nextCode(loginId, DEMO_ADMIN_TOTP_SECRET));
  await Promise.all([page.waitForURL(landing), page.click('button[type=submit]:has-text("ログイン")')]);
  return page;
}
