import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A test CA and a server certificate it issued, as files, for nginx and for the clients that must trust it. */
export interface TestTls {
  /** The CA certificate (PEM): what clients trust (NODE_EXTRA_CA_CERTS, an undici Agent). */
  ca: Buffer;
  caFile: string;
  /** nginx's `tls/server.crt` and `tls/server.key`. */
  certFile: string;
  keyFile: string;
  /** base64 SHA-256 of the server key's SubjectPublicKeyInfo: Chromium's --ignore-certificate-errors-spki-list pin. */
  spkiSha256: string;
}

/**
 * Makes, with openssl, a CA and a certificate for `localhost` and 127.0.0.1 under `dir/tls`
 * (valid two days): the shape of a real deployment's chain (a CA, a leaf with subjectAltName),
 * made fresh by each test that needs it.
 */
export function makeTestTls(dir: string): TestTls {
  const tls = join(dir, 'tls');
  mkdirSync(tls, { recursive: true });
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const caFile = join(dir, 'ca.crt');
  const certFile = join(tls, 'server.crt');
  const keyFile = join(tls, 'server.key');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'ca.key'), '-out', caFile, '-subj', '/CN=Tsunagu Test CA', '-days', '2');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', join(dir, 'server.csr'), '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', join(dir, 'server.csr'), '-CA', caFile, '-CAkey', join(dir, 'ca.key'), '-CAcreateserial', '-out', certFile, '-days', '2', '-extfile', join(dir, 'san.ext'));
  const spki = new X509Certificate(readFileSync(certFile)).publicKey.export({ type: 'spki', format: 'der' });
  return { ca: readFileSync(caFile), caFile, certFile, keyFile, spkiSha256: createHash('sha256').update(spki).digest('base64') };
}
