import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { KeysRepository } from './keys.repository';
import { SecretBox } from './secret-box';

export const SECRET_BOX = Symbol('SECRET_BOX');
export const SIGNING_ALG = 'ES256';

/**
 * The hub's signing keys (ES256, published in JWKS) and its shared secrets. Both live in
 * PostgreSQL, sealed with the key encryption key, so that every hub replica signs with the same
 * keys and reads the same cookies — the hub process itself holds no state.
 * Rotation: docs/key-rotation.md.
 */
@Injectable()
export class KeysService {
  private readonly logger = new AppLogger(KeysService.name);

  constructor(private readonly repo: KeysRepository, @Inject(SECRET_BOX) private readonly box: SecretBox) {}

  /** Private JWKs for oidc-provider: the active key first (it signs), then staged and retired ones (published). */
  async privateJwks(): Promise<JWK[]> {
    let rows = await this.repo.listSigningKeys();
    if (!rows.some((r) => r.status === 'active')) {
      await this.createKey('active').catch((error) => {
        // Replicas booting together race here; the partial unique index lets exactly one win.
        if ((error as { constraint?: string }).constraint !== 'signing_keys_one_active') throw error;
      });
      rows = await this.repo.listSigningKeys();
    }
    return rows.map((r) => ({ ...JSON.parse(this.box.open(r.private_jwk_enc, r.kid)), kid: r.kid, alg: r.alg, use: 'sig' }));
  }

  /** The public halves of every signing key the hub holds (active, staged, retired): nothing is decrypted. */
  async publicJwks(): Promise<JWK[]> {
    return (await this.repo.listSigningKeys()).map((r) => ({ ...r.public_jwk, kid: r.kid, alg: r.alg, use: 'sig' }) as JWK);
  }

  /** Stages a new key: published at once, used for signing only after `activateNext`. */
  async createKey(status: 'next' | 'active' = 'next'): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const kid = `${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
    const privateJwk = await exportJWK(privateKey);
    await this.repo.insertSigningKey({
      kid,
      alg: SIGNING_ALG,
      public_jwk: { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: 'sig' },
      private_jwk_enc: this.box.seal(JSON.stringify(privateJwk), kid),
      status,
    });
    this.logger.log(LogKind.Operation, 'Signing key created', { kid, status });
    return kid;
  }

  async activateNext(): Promise<string | undefined> {
    const kid = await this.repo.activateNext(SIGNING_ALG);
    this.logger.log(LogKind.Operation, 'Signing key activated', { kid });
    return kid;
  }

  async listKeys(): Promise<{ kid: string; status: string; createdAt: Date }[]> {
    return (await this.repo.listSigningKeys()).map((r) => ({ kid: r.kid, status: r.status, createdAt: new Date(r.created_at) }));
  }

  purgeRetired(before: Date): Promise<number> {
    return this.repo.purgeRetired(before);
  }

  /** A named random secret shared by all replicas, created on first use. */
  async sharedSecret(name: string, bytes = 32): Promise<string> {
    const existing = await this.repo.findSecret(name);
    const sealed = existing ?? await this.repo.insertSecretIfAbsent(name, this.box.seal(randomBytes(bytes).toString('base64url'), name));
    return this.box.open(sealed, name);
  }

  seal(value: string, context: string): string {
    return this.box.seal(value, context);
  }

  open(sealed: string, context: string): string {
    return this.box.open(sealed, context);
  }
}
