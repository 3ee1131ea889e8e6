import { Injectable } from '@nestjs/common';
import type { JWK } from 'jose';
import { KeysService } from '../platform/keys/keys.service';

/** A public signing key as published at `GET /connect/v1/jwks`. */
export interface PublicSigningJwk {
  kty: string;
  crv: string;
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

const CACHE_MS = 10_000;

/**
 * The hub's signing keys for the connector API (grants, SETs, feed pages): the same keys as the
 * OIDC JWKS (KeysService), the active one signs. A staged key is published before it signs, a
 * retired one stays published until KeysService purges it (days), so connectors' JWKS caches
 * always find a `kid`. Cached briefly: the grant path must not decrypt keys on every call.
 */
@Injectable()
export class HubSigningKeyService {
  private cached?: { at: number; keys: JWK[] };

  constructor(private readonly keys: KeysService) {}

  /** The active private key and its kid. */
  async signingKey(): Promise<{ key: JWK; kid: string }> {
    const [active] = await this.load();
    return { key: active, kid: active.kid! };
  }

  async publicJwks(): Promise<{ keys: PublicSigningJwk[] }> {
    return {
      keys: (await this.load())
        .filter((k) => k.kty === 'EC' && k.crv === 'P-256')
        .map((k) => ({ kty: k.kty!, crv: k.crv!, x: k.x!, y: k.y!, kid: k.kid!, alg: 'ES256' as const, use: 'sig' as const })),
    };
  }

  private async load(): Promise<JWK[]> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.keys;
    const keys = await this.keys.privateJwks();
    this.cached = { at: Date.now(), keys };
    return keys;
  }
}
