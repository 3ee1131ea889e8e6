import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import type { ConsentEnforcementView } from '@tsunagu/contracts';
import { keepAliveAgent, sendForBody, type Target } from './load';

/**
 * Section 2 of bench/exchange.ts: the resident's opt-out under load, as issue #14 measured it and
 * as test/withdrawal-enforcement.e2e-spec.ts checks it. Each round opts in (again), lets
 * `loops` consumer loops ask for the resident's data through the consumer connector's SDK (with
 * the reusable grant it caches), opts out through the portal's API while they ask, and keeps them
 * asking for a while after the answer. Every exchange is recorded with the moment it was sent.
 */

/** Wall-clock milliseconds with sub-millisecond precision, comparable with the hub's timestamps (one machine, one clock). */
export const wallNow = (): number => performance.timeOrigin + performance.now();

export interface Exchange {
  /** Just before the request went out (wall clock, ms). */
  sentAt: number;
  /** When its whole answer had been read. */
  doneAt: number;
  status: number;
  code?: string;
  /** The provider connector that served the data (answers 200). */
  provider?: string;
}

/** The portal's `enforcement` in the withdrawal's answer. */
export type Enforcement = ConsentEnforcementView;

export interface OptOutRound {
  /** Sending the withdrawal, and the moment its answer's status line and headers arrived (the resident has it). */
  sentAt: number;
  answeredAt: number;
  enforcement: Enforcement;
  exchanges: Exchange[];
}

export interface OptOutSetup {
  /** A portal API call as the signed-in resident (cookie and CSRF token set by the caller). */
  portalFetch(method: string, path: string, body?: unknown): Promise<Response>;
  /** The consumer connector's SDK request for the resident. */
  sdk: Target;
  dataUse: string;
  items: string[];
  /** Consumer loops asking at once. */
  loops: number;
  /** The provider connector every grant must name (the one behind the push proxy). */
  provider: string;
}

export interface RoundPlan {
  /** Upper bound of a random pause between "data flows" and the withdrawal (spreads withdrawals over the pull cycle). */
  jitterMs: number;
  /** How long the loops keep asking after the answer. */
  keepAskingMs(answeredAt: number, e: Enforcement): number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies of the portal and connectors, checked where used
type Json = any;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function decide(setup: OptOutSetup, method: string, path: string, body: unknown, expected: number): Promise<Json> {
  const res = await setup.portalFetch(method, path, body);
  const json = (await res.json()) as Json;
  if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** The resident's current consent to the data use, withdrawn (an unmeasured opt-out if it is active: no cached grant outlives it). */
export async function startWithdrawn(setup: OptOutSetup): Promise<{ consentId: string; version: number }> {
  const list = (await (await setup.portalFetch('GET', '/api/v1/portal/consents')).json()) as Json[];
  const consent = list.find((c) => c.dataUse.code === setup.dataUse)?.consent as { consentId: string; version: number; state: string } | undefined;
  if (!consent) throw new Error(`no consent to ${setup.dataUse}`);
  if (consent.state !== 'active') return consent;
  return (await decide(setup, 'POST', `/api/v1/portal/consents/${consent.consentId}/withdraw`, {}, 200)).consent;
}

/**
 * `rounds` opt-outs under load, one after the other; `consent` is the withdrawn consent to start
 * from (and is kept current). Throws if data does not flow before a withdrawal, or flows from
 * another provider than the measured one.
 */
export async function optOutRounds(setup: OptOutSetup, consent: { consentId: string; version: number }, rounds: number, plan: RoundPlan): Promise<OptOutRound[]> {
  const agent = keepAliveAgent(setup.loops);
  const results: OptOutRound[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const given = await decide(setup, 'POST', '/api/v1/portal/consents', { dataUse: setup.dataUse, items: setup.items, expectedVersion: consent.version }, 201);
      Object.assign(consent, { consentId: given.consent.consentId, version: given.consent.version });
      const exchanges: Exchange[] = [];
      let stopAt = Number.POSITIVE_INFINITY;
      const loops = Array.from({ length: setup.loops }, async () => {
        while (wallNow() < stopAt) {
          const sentAt = wallNow();
          const res = await sendForBody(agent, setup.sdk).catch((e: Error) => ({ status: 0, body: JSON.stringify({ error: { code: `socket: ${e.message}` } }) }));
          const doneAt = wallNow();
          let code: string | undefined;
          let provider: string | undefined;
          try {
            const body = JSON.parse(res.body) as Json;
            code = body.error?.code;
            provider = body.provider?.connectorId;
          } catch {
            code = `HTTP ${res.status}`;
          }
          exchanges.push({ sentAt, doneAt, status: res.status, code, provider });
        }
      });
      try {
        // Data flows in every loop first (the consumer has a grant of this version cached).
        const flowing = wallNow() + 15_000;
        while (exchanges.filter((e) => e.status === 200).length < setup.loops) {
          if (wallNow() > flowing) throw new Error(`round ${r}: data did not flow before the withdrawal: ${JSON.stringify(exchanges.slice(-3))}`);
          await sleep(2);
        }
        const stray = exchanges.find((e) => e.status === 200 && e.provider !== setup.provider);
        if (stray) throw new Error(`round ${r}: an exchange was served by ${stray.provider}, not the measured provider ${setup.provider}`);
        await sleep(Math.random() * plan.jitterMs);
        const sentAt = wallNow();
        const res = await setup.portalFetch('POST', `/api/v1/portal/consents/${consent.consentId}/withdraw`, {});
        const answeredAt = wallNow();
        const body = (await res.json()) as Json;
        if (res.status !== 200) throw new Error(`round ${r}: withdrawal failed: ${res.status} ${JSON.stringify(body)}`);
        Object.assign(consent, { version: body.consent.version });
        const enforcement = body.enforcement as Enforcement;
        stopAt = answeredAt + plan.keepAskingMs(answeredAt, enforcement);
        await Promise.all(loops);
        results.push({ sentAt, answeredAt, enforcement, exchanges });
      } finally {
        stopAt = 0;
        await Promise.all(loops);
      }
    }
  } finally {
    agent.destroy();
  }
  return results;
}

function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const ms = (values: number[]) => `p50 ${fmt(percentile(values, 50))} ms, p99 ${fmt(percentile(values, 99))} ms, max ${fmt(Math.max(...values))} ms`;
const iso = (t: number) => new Date(t).toISOString();
const codes = (list: Exchange[]) => {
  const counts = new Map<string, number>();
  for (const e of list) if (e.status !== 200) counts.set(e.code ?? `HTTP ${e.status}`, (counts.get(e.code ?? `HTTP ${e.status}`) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ×${v}`).join(', ') || 'none';
};
const connectorStates = (rounds: OptOutRound[]) => {
  const counts = new Map<string, number>();
  for (const r of rounds) for (const c of r.enforcement.connectors) counts.set(`${c.role} ${c.state}`, (counts.get(`${c.role} ${c.state}`) ?? 0) + 1);
  // No connector listed: the hub answered before its dispatcher had written the deliveries (bound: the staleness rule).
  const undispatched = rounds.filter((r) => r.enforcement.connectors.length === 0).length;
  return [...counts].sort().map(([k, v]) => `${k} ×${v}`).join(', ') + (undispatched ? `; ${undispatched} answers before the change was dispatched (no connector listed)` : '');
};

/** One round's exchanges that returned data although they were sent after `moment`: each breaks the promise. */
const dataAfter = (r: OptOutRound, moment: number) => r.exchanges.filter((e) => e.sentAt > moment && e.status === 200);

/** The hub's own timings of the pushes of the measured withdrawals: commit (as the answer states it) → acknowledgement stored, by role. */
export async function hubSideAcks(db: Client, rounds: OptOutRound[]): Promise<Map<string, number[]>> {
  const { rows } = await db.query(
    `SELECT d.role, extract(epoch FROM d.acked_at - x.committed_at) * 1000 AS acked
       FROM revocation_deliveries d JOIN consent_change_outbox x ON x.seq = d.outbox_seq
       JOIN unnest($1::uuid[], $2::int[]) AS m(consent_id, version) ON m.consent_id = x.consent_id AND m.version = x.version
      WHERE d.acked_at IS NOT NULL AND x.committed_at IS NOT NULL`,
    [rounds.map((r) => r.enforcement.consentId), rounds.map((r) => r.enforcement.version)]);
  const byRole = new Map<string, number[]>();
  for (const row of rows as { role: string; acked: string }[]) byRole.set(row.role, [...(byRole.get(row.role) ?? []), Number(row.acked)]);
  return byRole;
}

export type Check = readonly [goal: string, value: string, ok: boolean];

export interface OptOutReport {
  lines: string[];
  checks: Check[];
  /** Exchanges that returned data although sent after the answer (push delayed) or after "enforced by" (push cut): the promise broken. */
  violations: number;
}

/**
 * The figures of both phases: with the push delayed (answer latency, answer → enforced, data after
 * the answer) and with it cut (the bound the answer states, the last data, data after the bound).
 */
export function describeOptOuts(delayed: OptOutRound[], cut: OptOutRound[], opts: { delayMs: number; loops: number; hubAcks: Map<string, number[]>; stalenessMs: number }): OptOutReport {
  const lines: string[] = [];
  const checks: Check[] = [];
  let violations = 0;

  // --- push delayed ---
  const answerMs = delayed.map((r) => r.answeredAt - r.sentAt);
  const complete = delayed.filter((r) => r.enforcement.complete && r.enforcement.enforcedAt);
  const answerToEnforced = complete.map((r) => Date.parse(r.enforcement.enforcedAt!) - r.answeredAt);
  const commitToEnforced = complete.map((r) => Date.parse(r.enforcement.enforcedAt!) - Date.parse(r.enforcement.committedAt));
  const afterAnswer = delayed.flatMap((r) => r.exchanges.filter((e) => e.sentAt > r.answeredAt));
  const broken = delayed.flatMap((r, i) => dataAfter(r, r.answeredAt).map((e) => ({ round: i, r, e })));
  // An answer that is not complete names a later moment ("enforced by"); data before it breaks the
  // "all acknowledged" goal, not the promise; data after the moment the answer names breaks the promise.
  const delayedViolations = delayed.reduce((n, r) => n + dataAfter(r, r.enforcement.complete ? r.answeredAt : Math.max(r.answeredAt, Date.parse(r.enforcement.enforcedBy))).length, 0);
  violations += delayedViolations;
  const inFlight = delayed.flatMap((r) => r.exchanges.filter((e) => e.sentAt <= r.answeredAt && e.doneAt > r.answeredAt && e.status === 200));
  // The first refused exchange after the withdrawal was sent (the old headline); rounds without one are left out.
  const refused = delayed.map((r) => ({ r, at: Math.min(...r.exchanges.filter((e) => e.status !== 200 && e.doneAt > r.sentAt).map((e) => e.doneAt)) })).filter((x) => Number.isFinite(x.at));
  const exchanges = delayed.reduce((n, r) => n + r.exchanges.length, 0);
  lines.push(`Opt-out with the push delayed ${opts.delayMs} ms (${delayed.length} opt-outs, ${opts.loops} consumer loops asking; ${exchanges} exchanges in all, ${afterAnswer.length} of them sent after the answer):`);
  lines.push(`  answer latency (sending the withdrawal → its answer): ${ms(answerMs)}`);
  lines.push(`  answer → enforced (enforcedAt − receipt of the answer; ≤ 0 means enforced before the resident was told), ${complete.length} complete answers: ${ms(answerToEnforced)}`);
  lines.push(`  of it: sent → committed (the hub's committedAt) ${ms(delayed.map((r) => Date.parse(r.enforcement.committedAt) - r.sentAt))}; enforced → answer received ${ms(answerToEnforced.map((d) => -d))}`);
  lines.push(`  commit → enforced (enforcedAt − committedAt): ${ms(commitToEnforced)}; answers not complete: ${delayed.length - complete.length}; connectors in the answers: ${connectorStates(delayed)}`);
  for (const [role, acks] of opts.hubAcks) lines.push(`  hub side, ${role} acknowledgements (commit → signed ack stored): ${acks.length}, ${ms(acks)}`);
  lines.push(`  withdrawal sent → first refusal: ${ms(refused.map((x) => x.at - x.r.sentAt))}; answer → first refusal: ${ms(refused.map((x) => x.at - x.r.answeredAt))}${refused.length < delayed.length ? ` (${delayed.length - refused.length} rounds without a refusal)` : ''}`);
  lines.push(`  exchanges sent after the answer that returned data: ${broken.length}${broken.length ? '   <-- FAIL' : ''} (refusals after the answer: ${codes(afterAnswer)}); sent before the answer, data received after it: ${inFlight.length}`);
  if (broken.length) {
    lines.push(`    of them sent after the moment the answer named (the answer if complete, else its "enforced by"): ${delayedViolations}${delayedViolations ? '   <-- FAIL: the promise is broken' : ' (the answers that let them through were not complete and said so)'}`);
  }
  for (const { round, r, e } of broken.slice(0, 10)) {
    lines.push(`    FAIL round ${round} (${r.enforcement.complete ? 'complete' : `not complete, enforced by ${r.enforcement.enforcedBy}`}): withdrawal sent ${iso(r.sentAt)}, committed ${r.enforcement.committedAt}, enforced ${r.enforcement.enforcedAt}, answered ${iso(r.answeredAt)}; exchange sent ${iso(e.sentAt)} (+${fmt(e.sentAt - r.answeredAt)} ms after the answer), data received ${iso(e.doneAt)}; connectors ${JSON.stringify(r.enforcement.connectors)}`);
  }

  // --- push cut ---
  const cutAnswerMs = cut.map((r) => r.answeredAt - r.sentAt);
  const bound = cut.map((r) => Date.parse(r.enforcement.enforcedBy) - Date.parse(r.enforcement.committedAt));
  const lastData = cut.map((r) => r.exchanges.filter((e) => e.status === 200));
  const lastDataDone = cut.map((r, i) => Math.max(...lastData[i].map((e) => e.doneAt)) - Date.parse(r.enforcement.committedAt));
  const lastDataSent = cut.map((r, i) => Math.max(...lastData[i].map((e) => e.sentAt)) - Date.parse(r.enforcement.committedAt));
  const afterBound = cut.flatMap((r) => r.exchanges.filter((e) => e.sentAt > Date.parse(r.enforcement.enforcedBy)));
  const cutBroken = cut.flatMap((r, i) => dataAfter(r, Date.parse(r.enforcement.enforcedBy)).map((e) => ({ round: i, r, e })));
  violations += cutBroken.length;
  const cutAfterAnswer = cut.flatMap((r) => dataAfter(r, r.answeredAt));
  lines.push(`Opt-out with the push cut (${cut.length} opt-outs, ${opts.loops} consumer loops asking until 0.5 s past "enforced by"; the connectors learn the change from their feed pull):`);
  lines.push(`  answer latency: ${ms(cutAnswerMs)}; complete answers: ${cut.filter((r) => r.enforcement.complete).length}; connectors in the answers: ${connectorStates(cut)}`);
  lines.push(`  enforcedBy − committedAt (the bound the resident is told): ${ms(bound)}`);
  lines.push(`  commit → last data actually returned: received ${ms(lastDataDone)}; sent ${ms(lastDataSent)}`);
  lines.push(`  exchanges sent after "enforced by" that returned data: ${cutBroken.length}${cutBroken.length ? '   <-- FAIL: the promise is broken' : ''} (${afterBound.length} sent after it, ${codes(afterBound)}); sent after the answer and returned data: ${cutAfterAnswer.length} (allowed: the answer said "by" a later moment)`);
  for (const { round, r, e } of cutBroken.slice(0, 10)) {
    lines.push(`    FAIL round ${round}: committed ${r.enforcement.committedAt}, answered ${iso(r.answeredAt)}, enforced by ${r.enforcement.enforcedBy}; exchange sent ${iso(e.sentAt)}, data received ${iso(e.doneAt)}; connectors ${JSON.stringify(r.enforcement.connectors)}`);
  }

  checks.push([`no exchange sent after the answer returns data (push delayed ${opts.delayMs} ms, ${delayed.length} opt-outs)`, `${broken.length} of ${afterAnswer.length}`, broken.length === 0 && afterAnswer.length > 0]);
  checks.push(['every answer (push delayed) enforced before it arrived: answer → enforced ≤ 0', `${complete.length} of ${delayed.length} complete, max ${fmt(Math.max(...answerToEnforced))} ms`, complete.length === delayed.length && Math.max(...answerToEnforced) <= 0]);
  checks.push([`no exchange sent after "enforced by" returns data (push cut, ${cut.length} opt-outs)`, `${cutBroken.length} of ${afterBound.length}`, cutBroken.length === 0 && afterBound.length > 0]);
  checks.push([`"enforced by" ≤ commit + the staleness bound (${opts.stalenessMs / 1000} s) with the push cut`, `max ${fmt(Math.max(...bound))} ms`, cut.length > 0 && Math.max(...bound) <= opts.stalenessMs]);
  return { lines, checks, violations };
}
