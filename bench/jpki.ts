/**
 * JPKI verification benchmark: node dist/bench/jpki.js [crlEntries=1000000] [iterations=2000]
 *
 * One verification = what the hub does per identity proof: decode the request, parse the
 * resident certificate, verify the chain (leaf signature; CA-to-CA signatures are cached),
 * validity, policy, key usage, attributes, revocation lookup in a one-million-entry CRL, and
 * the card's RSASSA-PKCS1-v1_5/SHA-256 signature over the challenge. Baseline in the same run:
 * one bare RSA-2048 signature verification with node:crypto (and with WebCrypto).
 */
import { randomBytes, verify as nodeVerify, webcrypto, X509Certificate } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { CrlStore, generateLargeCrl, generateTestCa, JpkiVerifier } from '../libs/jpki/src';

const out = (line = '') => process.stdout.write(`${line}\n`);
const fmt = (n: number, digits = 1) => n.toFixed(digits);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timeEach(iterations: number, fn: () => unknown): Promise<{ perSecond: number; p50: number; p99: number; totalMs: number }> {
  const latencies = new Array<number>(iterations);
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn();
    latencies[i] = performance.now() - t;
  }
  const totalMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return { perSecond: (iterations / totalMs) * 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99), totalMs };
}

async function concurrent(total: number, inFlight: number, fn: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next++ < total) await fn();
  }));
  return (total / (performance.now() - started)) * 1000;
}

async function main(argv: string[]): Promise<void> {
  const entries = Number(argv[0] ?? 1_000_000);
  const iterations = Number(argv[1] ?? 2000);
  out(`JPKI verifier benchmark — node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'})`);

  let t = performance.now();
  const ca = await generateTestCa();
  out(`test CA generated (14 RSA keys)          ${fmt(performance.now() - t, 0)} ms`);

  t = performance.now();
  const big = await generateLargeCrl(ca, { entries });
  out(`CRL generated: ${big.revokedCount.toLocaleString('en')} entries, ${fmt(big.der.length / 1e6)} MB   ${fmt(performance.now() - t, 0)} ms`);

  const loads: number[] = [];
  let store: CrlStore | undefined;
  for (let run = 0; run < 3; run++) {
    store = undefined;
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage();
    const s = new CrlStore({ issuers: [ca.root.der, ca.signingCa.der] });
    await s.load(ca.crls.root.der);
    t = performance.now();
    await s.load(big.der);
    loads.push(performance.now() - t);
    if (run === 0) {
      (globalThis as { gc?: () => void }).gc?.();
      const after = process.memoryUsage();
      const mb = (n: number) => fmt(n / 1e6, 0);
      out(`  memory held by the loaded index: heap ${mb(after.heapUsed - before.heapUsed)} MB, array buffers ${mb(after.arrayBuffers - before.arrayBuffers)} MB${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for exact figures)'}`);
    }
    store = s;
  }
  const sortedLoads = [...loads].sort((a, b) => a - b);
  out(`CRL load (verify signature + index), 3 runs: ${loads.map((l) => fmt(l, 0)).join(' / ')} ms (median ${fmt(sortedLoads[1], 0)} ms)`);
  if (!store) throw new Error('no store');

  const [crl] = store.findByIssuer(ca.signingCa.subject);
  const probe = [ca.residents.valid.serialNumber, ...big.knownRevokedSerials];
  t = performance.now();
  const LOOKUPS = 1_000_000;
  let hits = 0;
  for (let i = 0; i < LOOKUPS; i++) if (crl.isRevoked(probe[i % probe.length])) hits++;
  out(`revocation lookup alone: ${fmt(((performance.now() - t) / LOOKUPS) * 1e6, 0)} ns per lookup (${hits} hits)`);

  const verifier = new JpkiVerifier({ trustAnchors: ca.trustAnchors, intermediates: ca.intermediates, crlStore: store });
  const challenge = randomBytes(32);
  const signature = new Uint8Array(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', ca.residents.valid.privateKey, challenge));
  const request = {
    certificate: Buffer.from(ca.residents.valid.der).toString('base64'),
    signature: Buffer.from(signature).toString('base64'),
    algorithm: 'RS256',
  };
  const fullVerification = () => verifier.verifySignedChallenge(request, challenge);
  const certificateOnly = () => verifier.verifyCertificate(ca.residents.valid.der);
  const revoked = await verifier.verifyCertificate(ca.residents.revoked.der).then(() => 'accepted', (e: { code?: string }) => e.code);
  if (revoked !== 'jpki_certificate_revoked') throw new Error(`revoked certificate not refused: ${revoked}`);

  for (let i = 0; i < 300; i++) await fullVerification(); // warm-up

  const spki = new X509Certificate(Buffer.from(ca.residents.valid.der)).publicKey;
  const baseline = await timeEach(iterations * 5, () => {
    if (!nodeVerify('sha256', challenge, spki, signature)) throw new Error('baseline failed');
  });
  const webKey = await webcrypto.subtle.importKey('spki', spki.export({ type: 'spki', format: 'der' }), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
  const webBaseline = await timeEach(iterations, () => webcrypto.subtle.verify('RSASSA-PKCS1-v1_5', webKey, signature, challenge));
  const full = await timeEach(iterations, fullVerification);
  const certOnly = await timeEach(iterations, certificateOnly);
  const parallel = await concurrent(iterations, 8, fullVerification);

  out('');
  out('per verification (sequential)              ops/s      p50 ms   p99 ms');
  const row = (label: string, r: { perSecond: number; p50: number; p99: number }) =>
    out(`${label.padEnd(42)} ${fmt(r.perSecond, 0).padStart(7)}   ${fmt(r.p50, 3).padStart(6)}   ${fmt(r.p99, 3).padStart(6)}`);
  row('full proof (cert + chain + 1M CRL + sig)', full);
  row('certificate only (chain + 1M CRL)', certOnly);
  row('baseline: node:crypto.verify RSA-2048', baseline);
  row('baseline: WebCrypto verify RSA-2048', webBaseline);
  out(`full proof, 8 in flight                    ${fmt(parallel, 0).padStart(7)} ops/s`);
  out('');
  out(`ratio full proof / node:crypto.verify: ${fmt(full.p50 / baseline.p50)}x latency (p50), ${fmt(baseline.perSecond / full.perSecond)}x fewer ops/s`);
  out(`ratio full proof / WebCrypto verify:   ${fmt(full.p50 / webBaseline.p50)}x latency (p50)`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
