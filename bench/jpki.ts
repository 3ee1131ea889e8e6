/**
 * JPKI verification benchmark: node --expose-gc dist/bench/jpki.js [crlEntries=1000000] [proofs=2000] [rounds=5]
 *
 * One proof = what the hub does per identity proof (JpkiVerifier.verifySignedChallenge): decode
 * the request (base64), parse the resident certificate, find and verify the chain, validity,
 * policy, key usage, attributes, revocation lookup in a one-million-entry CRL, and the card's
 * RSASSA-PKCS1-v1_5/SHA-256 signature over the challenge.
 *
 * Baseline ("raw pipeline"), in the same run, over the same inputs: node:crypto `verify()` of
 * every signature a proof must check, with keys imported beforehand —
 *   1. the resident certificate's signature by the signing CA (over the tbsCertificate bytes),
 *   2. the card's signature over the challenge (with the resident's public key).
 * The CA-to-root signature is a property of the configuration (checked once per verifier), and
 * CRL signatures are checked when a CRL is loaded, so neither is per proof on either side.
 * A second baseline ("raw, card key per proof") hands the card's key to OpenSSL as PKCS#1 DER in
 * each verify call, as any pipeline must for a card it has never seen (every real proof brings a
 * new card; the benchmark reuses one card key only because RSA key generation is slow). The goal
 * is stated against the first, warm-key baseline; both ratios are printed.
 *
 * Proofs use distinct certificates (same card key, fresh serial and CA signature each) and
 * distinct challenges, each certificate once per round, on a fresh verifier per round: the
 * verifier's certificate-signature cache never hits, so both sides verify both signatures. The
 * "repeat card" row shows the same card proving again and again (cache hit, one RSA verify).
 * Within each round the sides take turns in chunks of 100 proofs, so background load falls on all
 * alike; the goal is judged on the median of the per-round ratios (each round is one comparison
 * in the same seconds), the best-of-each ratio is printed beside it.
 *
 * Issue #15 adds: OCSP response verification (RFC 6960: signature by the delegated responder,
 * responder authorisation, nonce, CertID, freshness) over pre-built responses, the full proof
 * with OCSP as the revocation source (in-process responder, which signs each answer), and the
 * re-check of 100,000 verified residents against the 1M-entry CRL partition
 * (CrlRevocationSource.statusMany), with its time and memory.
 */
import { createPrivateKey, randomBytes, sign as nodeSign, verify as nodeVerify, X509Certificate } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  CrlRevocationSource, CrlStore, generateLargeCrl, generateTestCa, JpkiVerifier, OcspClient, type CertificateIdentity, type JpkiSignedChallenge,
} from '@tsunagu/jpki';

const out = (line = '') => process.stdout.write(`${line}\n`);
const fmt = (n: number, digits = 1) => n.toFixed(digits);
const gc = () => (globalThis as { gc?: () => void }).gc?.();

interface Timing { perSecond: number; p50: number; p99: number }

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timeEach(count: number, fn: (i: number) => unknown): Promise<Timing> {
  const latencies = new Array<number>(count);
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await fn(i);
    latencies[i] = performance.now() - t;
  }
  const totalMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return { perSecond: (count / totalMs) * 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

function largest<T extends { revokedCount: number }>(lists: T[]): T {
  return lists.reduce((a, b) => (b.revokedCount > a.revokedCount ? b : a));
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

interface Proof {
  readonly der: Buffer;
  readonly tbs: Buffer;
  readonly certSignature: Buffer;
  readonly challenge: Buffer;
  readonly cardSignature: Buffer;
  readonly request: JpkiSignedChallenge;
}

async function main(argv: string[]): Promise<void> {
  const entries = Number(argv[0] ?? 1_000_000);
  const proofCount = Number(argv[1] ?? 2000);
  const rounds = Number(argv[2] ?? 5);
  out(`JPKI verifier benchmark — node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'})`);

  let t = performance.now();
  const ca = await generateTestCa();
  out(`test CA generated (real JPKI shape, 18 RSA keys)   ${fmt(performance.now() - t, 0)} ms`);

  t = performance.now();
  const big = await generateLargeCrl(ca, { entries });
  out(`CRL generated: ${big.revokedCount.toLocaleString('en')} entries, ${fmt(big.der.length / 1e6)} MB   ${fmt(performance.now() - t, 0)} ms`);

  // ---- CRL load and memory ------------------------------------------------------------------
  const loads: number[] = [];
  let store: CrlStore | undefined;
  for (let run = 0; run < 3; run++) {
    store = undefined;
    gc();
    gc();
    const before = process.memoryUsage();
    const s = new CrlStore({ issuers: [ca.previousRoot.der, ca.signingCa.der] });
    await s.load(ca.crls.root.der);
    t = performance.now();
    await s.load(big.der);
    loads.push(performance.now() - t);
    if (run === 0) {
      gc();
      const after = process.memoryUsage();
      const list = largest(s.findByIssuer(ca.signingCa.subject));
      const mb = (n: number) => fmt(n / 1e6, 1);
      out(`CRL set memory: ${mb(list.indexBytes)} MB in typed arrays (index of ${list.revokedCount.toLocaleString('en')} serials); ` +
        `process delta: heap ${mb(after.heapUsed - before.heapUsed)} MB, array buffers ${mb(after.arrayBuffers - before.arrayBuffers)} MB` +
        `${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for exact figures)'}`);
    }
    store = s;
  }
  out(`CRL load (signature check + index), 3 runs: ${loads.map((l) => fmt(l, 0)).join(' / ')} ms (median ${fmt(median(loads), 0)} ms)`);
  if (!store) throw new Error('no store');
  const crlStore = store;

  const crl = largest(crlStore.findByIssuer(ca.signingCa.subject));
  const probe = [ca.residents.valid.serialNumber, ...big.knownRevokedSerials];
  t = performance.now();
  const LOOKUPS = 1_000_000;
  let hits = 0;
  for (let i = 0; i < LOOKUPS; i++) if (crl.isRevoked(probe[i % probe.length])) hits++;
  out(`revocation lookup alone: ${fmt(((performance.now() - t) / LOOKUPS) * 1e6, 0)} ns per lookup (${hits} hits)`);

  // ---- Inputs: distinct certificates (one card key), distinct challenges ---------------------
  t = performance.now();
  const caPrivate = createPrivateKey({ key: Buffer.from(ca.signingCa.privateKeyPkcs8), format: 'der', type: 'pkcs8' });
  const cardPrivate = createPrivateKey({ key: Buffer.from(ca.residents.valid.privateKeyPkcs8), format: 'der', type: 'pkcs8' });
  const template = Buffer.from(ca.residents.valid.der);
  const serialAt = template.indexOf(Buffer.from(ca.residents.valid.serialNumber, 'hex'));
  const serialLength = ca.residents.valid.serialNumber.length / 2;
  const tbsEnd = 4 + 4 + template.readUInt16BE(6); // 30 82 LLLL | 30 82 LLLL …
  if (template[0] !== 0x30 || template[1] !== 0x82 || template[4] !== 0x30 || template[5] !== 0x82 || serialAt < 0 || serialAt > tbsEnd) {
    throw new Error('unexpected test certificate layout');
  }
  const proofs: Proof[] = [];
  for (let i = 0; i < proofCount; i++) {
    const der = Buffer.from(template);
    randomBytes(serialLength).copy(der, serialAt);
    der[serialAt] = (der[serialAt] & 0x7f) | 0x01;
    const tbs = der.subarray(4, tbsEnd);
    const certSignature = nodeSign('sha256', tbs, caPrivate);
    certSignature.copy(der, der.length - certSignature.length);
    const challenge = Buffer.from(`tsunagu-jpki:v1:${randomBytes(32).toString('base64url')}`, 'utf8');
    const cardSignature = nodeSign('sha256', challenge, cardPrivate);
    proofs.push({
      der, tbs: Buffer.from(tbs), certSignature, challenge, cardSignature,
      request: { certificate: der.toString('base64'), signature: cardSignature.toString('base64'), algorithm: 'RS256' },
    });
  }
  out(`${proofCount} distinct resident certificates and challenges signed  ${fmt(performance.now() - t, 0)} ms`);

  // Keys of the raw pipeline, imported once (as a verifier imports its CA key once).
  const caKey = new X509Certificate(Buffer.from(ca.signingCa.der)).publicKey;
  const cardKey = new X509Certificate(Buffer.from(ca.residents.valid.der)).publicKey;
  const cardKeyPkcs1 = cardKey.export({ type: 'pkcs1', format: 'der' });
  const newVerifier = () => new JpkiVerifier({ trustAnchors: ca.trustAnchors, intermediates: ca.intermediates, crlStore });

  // Sanity: every input verifies on both sides, and the revoked resident is refused.
  const check = newVerifier();
  for (const p of proofs.slice(0, 20)) {
    if (!nodeVerify('sha256', p.tbs, caKey, p.certSignature) || !nodeVerify('sha256', p.challenge, cardKey, p.cardSignature)) {
      throw new Error('raw pipeline refused a good proof');
    }
    await check.verifySignedChallenge(p.request, p.challenge);
  }
  const revoked = await check.verifyCertificate(ca.residents.revoked.der).then(() => 'accepted', (e: { code?: string }) => e.code);
  if (revoked !== 'jpki_certificate_revoked') throw new Error(`revoked certificate not refused: ${revoked}`);

  const rawProof = (p: Proof) => {
    if (!nodeVerify('sha256', p.tbs, caKey, p.certSignature)) throw new Error('raw: certificate signature');
    if (!nodeVerify('sha256', p.challenge, cardKey, p.cardSignature)) throw new Error('raw: card signature');
  };

  const rawColdProof = (p: Proof) => {
    if (!nodeVerify('sha256', p.tbs, caKey, p.certSignature)) throw new Error('raw: certificate signature');
    if (!nodeVerify('sha256', p.challenge, { key: cardKeyPkcs1, format: 'der', type: 'pkcs1' }, p.cardSignature)) {
      throw new Error('raw: card signature');
    }
  };

  // Warm-up of every side (JIT), on verifiers that are then discarded: one pass over all inputs.
  // 300 proofs were too few: V8 had not optimised the parser yet, and the first measured round
  // of the verifier ran ~35 % slower than the next ones while the raw side was already steady.
  const warm = newVerifier();
  const warmCertificates = newVerifier();
  for (const p of proofs) {
    rawProof(p);
    rawColdProof(p);
    await warm.verifySignedChallenge(p.request, p.challenge);
    await warmCertificates.verifyCertificate(p.der);
  }

  // ---- Interleaved rounds -------------------------------------------------------------------
  // Within a round the four sides take turns in chunks of CHUNK proofs (the order rotating from
  // chunk to chunk), so a change of background load falls on all of them alike; whole-side blocks
  // of 2,000 proofs let one side run in a quiet second and the next in a busy one (per-round
  // ratios of 0.34–0.70 in one run). No gc() between chunks: the verifier's garbage is collected
  // in its own chunks (the raw sides allocate almost nothing, so a scavenge falls where the
  // allocation is) and counts against it.
  const CHUNK = Number(process.env.JPKI_BENCH_CHUNK ?? 100);
  const raw: Timing[] = [];
  const rawCold: Timing[] = [];
  const full: Timing[] = [];
  const certOnly: Timing[] = [];
  for (let round = 0; round < rounds; round++) {
    gc();
    const v = newVerifier(); // empty signature cache: every certificate signature is verified
    const c = newVerifier();
    const sides: { into: Timing[]; lat: number[]; ms: number; run: (p: Proof) => unknown }[] = [
      { into: raw, lat: [], ms: 0, run: rawProof },
      { into: rawCold, lat: [], ms: 0, run: rawColdProof },
      { into: full, lat: [], ms: 0, run: (p) => v.verifySignedChallenge(p.request, p.challenge) },
      { into: certOnly, lat: [], ms: 0, run: (p) => c.verifyCertificate(p.der) },
    ];
    for (let from = 0, k = 0; from < proofCount; from += CHUNK, k++) {
      const to = Math.min(proofCount, from + CHUNK);
      for (let j = 0; j < sides.length; j++) {
        const side = sides[(j + k) % sides.length];
        const started = performance.now();
        for (let i = from; i < to; i++) {
          const t0 = performance.now();
          await side.run(proofs[i]);
          side.lat.push(performance.now() - t0);
        }
        side.ms += performance.now() - started;
      }
    }
    for (const side of sides) {
      side.lat.sort((a, b) => a - b);
      side.into.push({ perSecond: (proofCount / side.ms) * 1000, p50: percentile(side.lat, 50), p99: percentile(side.lat, 99) });
    }
  }
  const repeatVerifier = newVerifier();
  const same = proofs[0];
  await repeatVerifier.verifySignedChallenge(same.request, same.challenge);
  gc();
  const repeat = await timeEach(proofCount, () => repeatVerifier.verifySignedChallenge(same.request, same.challenge));

  const best = (list: Timing[]) => list.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  const spread = (list: Timing[]) => `${fmt(Math.min(...list.map((r) => r.perSecond)), 0)}–${fmt(Math.max(...list.map((r) => r.perSecond)), 0)}`;

  out('');
  out(`per proof (sequential, ${proofCount} proofs × ${rounds} rounds)   best ops/s   p50 ms   p99 ms   ops/s over rounds`);
  const row = (label: string, list: Timing[]) => {
    const r = best(list);
    out(`${label.padEnd(42)} ${fmt(r.perSecond, 0).padStart(9)}   ${fmt(r.p50, 3).padStart(6)}   ${fmt(r.p99, 3).padStart(6)}   ${spread(list)}`);
  };
  row('raw pipeline: 2 × node:crypto.verify', raw);
  row('raw, card key per proof (PKCS#1 DER)', rawCold);
  row('full proof (decode+chain+1M CRL+card sig)', full);
  row('certificate only (chain + 1M CRL)', certOnly);
  row('full proof, repeat card (signature cached)', [repeat]);
  out('');
  const ratios = raw.map((r, i) => full[i].perSecond / r.perSecond);
  const ratio = best(full).perSecond / best(raw).perSecond;
  out(`ratio full proof / raw pipeline (ops/s): best ${fmt(ratio, 2)}x, per round ${ratios.map((r) => fmt(r, 2)).join(' / ')} (median ${fmt(median(ratios), 2)})`);
  const coldRatios = rawCold.map((r, i) => full[i].perSecond / r.perSecond);
  const coldRatio = best(full).perSecond / best(rawCold).perSecond;
  out(`ratio full proof / raw with card key per proof: best ${fmt(coldRatio, 2)}x, per round ${coldRatios.map((r) => fmt(r, 2)).join(' / ')} (median ${fmt(median(coldRatios), 2)})`);
  out(`goal ≥ 0.5x (median of the per-round ratios): ${median(ratios) >= 0.5 ? 'PASS' : 'FAIL'}; CRL set ≤ 100 MB: ${crl.indexBytes <= 100e6 ? 'PASS' : 'FAIL'} (${fmt(crl.indexBytes / 1e6, 1)} MB)`);

  // ---- OCSP (issue #15) ----------------------------------------------------------------------
  const issuerSpkiSha256 = (await check.verifyCertificate(ca.residents.valid.der)).issuerSpkiSha256;
  const identity: CertificateIdentity = { issuer: ca.signingCa.subject, issuerSpkiSha256, serialNumber: ca.residents.valid.serialNumber };
  const ocspCount = Math.min(proofCount, 1000);
  const verifyOnly = new OcspClient({ issuers: ca.trustAnchors, transport: async (r) => ca.ocsp(r) });
  const pairs = Array.from({ length: ocspCount }, () => {
    const request = verifyOnly.buildRequest(identity);
    return { request, response: ca.ocsp(request.der) };
  });
  for (const p of pairs.slice(0, 50)) await verifyOnly.verifyResponse(p.response, p.request, ca.now);
  gc();
  const ocspVerify = await timeEach(ocspCount, (i) => verifyOnly.verifyResponse(pairs[i].response, pairs[i].request, ca.now));
  // Every proof certificate is a fresh serial the responder never issued: it is told to answer good.
  const ocspClient = new OcspClient({ issuers: ca.trustAnchors, transport: async (r) => ca.ocsp(r, { status: 'good' }) });
  const ocspVerifier = new JpkiVerifier({ trustAnchors: ca.trustAnchors, revocation: ocspClient, now: () => ca.now });
  for (const p of proofs.slice(0, 50)) await ocspVerifier.verifySignedChallenge(p.request, p.challenge);
  gc();
  const ocspProofs = Math.min(proofCount, 1000);
  const ocspFull = await timeEach(ocspProofs, (i) => ocspVerifier.verifySignedChallenge(proofs[i].request, proofs[i].challenge));
  out('');
  out(`OCSP                                          ops/s      p50 ms   p99 ms`);
  out(`${'response verification (sig, responder, nonce)'.padEnd(45)} ${fmt(ocspVerify.perSecond, 0).padStart(7)}   ${fmt(ocspVerify.p50, 3).padStart(6)}   ${fmt(ocspVerify.p99, 3).padStart(6)}`);
  out(`${'full proof via OCSP (responder signs in-proc)'.padEnd(45)} ${fmt(ocspFull.perSecond, 0).padStart(7)}   ${fmt(ocspFull.p50, 3).padStart(6)}   ${fmt(ocspFull.p99, 3).padStart(6)}`);

  // ---- Re-check of verified residents against the 1M-entry CRL (issue #15) ------------------
  const residentCount = 100_000;
  const known = big.knownRevokedSerials;
  const ids: CertificateIdentity[] = Array.from({ length: residentCount }, (_, i) => ({
    issuer: ca.signingCa.subject,
    issuerSpkiSha256,
    serialNumber: i % 1000 === 0 ? known[(i / 1000) % known.length] : randomBytes(16).toString('hex'),
    crlDistributionPoints: [ca.distributionPoints.tottori],
  }));
  const source = new CrlRevocationSource(crlStore);
  const recheck: number[] = [];
  let revokedFound = 0;
  let heapDelta = 0;
  for (let run = 0; run < 3; run++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    t = performance.now();
    const results = source.statusMany(ids, ca.now);
    recheck.push(performance.now() - t);
    heapDelta = Math.max(heapDelta, process.memoryUsage().heapUsed - before);
    revokedFound = results.filter((r) => 'status' in r && r.status === 'revoked').length;
  }
  out('');
  out(`re-check of ${residentCount.toLocaleString('en')} residents against ${crl.revokedCount.toLocaleString('en')} CRL entries: ` +
    `${recheck.map((r) => fmt(r, 0)).join(' / ')} ms (median ${fmt(median(recheck), 0)} ms), ${revokedFound} revoked found, ` +
    `results on the heap ≈ ${fmt(heapDelta / 1e6, 1)} MB; goal ≤ 10 s: ${median(recheck) <= 10_000 ? 'PASS' : 'FAIL'}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
