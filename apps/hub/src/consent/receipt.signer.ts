import { createPrivateKey, type JsonWebKey, type KeyObject, sign } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { JWK } from 'jose';
import { type ConsentReceipt, RECEIPT_JWS_TYPE, receiptHash } from '@tsunagu/contracts';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { pairwiseSubject } from '../identity/oidc/oidc-provider.factory';
import { KeysService, SIGNING_ALG } from '../platform/keys/keys.service';
import { ConsentRepository } from './consent.repository';

interface SigningKey {
  kid: string;
  key: KeyObject;
  /** The encoded protected header, the same for every receipt signed with this key. */
  header: string;
}

/**
 * Signs consent receipts with the hub's active ES256 key — the key oidc-provider signs ID tokens
 * with and publishes at /oidc/jwks. Like oidc-provider, it reads the keys once per process, so a
 * rotation takes effect at the next rolling restart on both at once (docs/key-rotation.md).
 */
@Injectable()
export class ReceiptSigner {
  private signingKey?: Promise<SigningKey>;
  private salt?: Promise<string>;

  constructor(
    private readonly keys: KeysService,
    private readonly repo: ConsentRepository,
    @Inject(HUB_CONFIG) private readonly config: Pick<HubConfig, 'PUBLIC_URL'>,
  ) {}

  get issuer(): string {
    return this.config.PUBLIC_URL;
  }

  /**
   * The resident as the recipient knows them: the pairwise `sub` of the recipient's sector, computed
   * exactly as the OIDC provider computes it. Never the common ID.
   */
  async principal(residentId: string, sector: string): Promise<string> {
    this.salt ??= this.keys.sharedSecret('pairwise-salt');
    return pairwiseSubject(await this.salt, sector, residentId);
  }

  /** Loads the key before a transaction opens (signing then needs no database round trip). */
  async ready(): Promise<void> {
    await this.key();
  }

  /**
   * A compact JWS (RFC 7515) with ES256: node:crypto signs synchronously, with the signature as
   * R‖S (ieee-p1363) as JWS requires — a fraction of WebCrypto's cost on the decision path.
   */
  async sign(receipt: ConsentReceipt): Promise<{ jws: string; hash: string; kid: string }> {
    const { kid, key, header } = await this.key();
    const input = `${header}.${Buffer.from(JSON.stringify(receipt), 'utf8').toString('base64url')}`;
    const signature = sign('sha256', Buffer.from(input, 'ascii'), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    const jws = `${input}.${signature}`;
    return { jws, hash: receiptHash(jws), kid };
  }

  /**
   * Any other signed document of the consent record (the enforcement statement): the same key and
   * algorithm, its own `typ`, so that it can never pass for a receipt.
   */
  async signStatement(typ: string, payload: object): Promise<string> {
    const { kid, key } = await this.key();
    const header = Buffer.from(JSON.stringify({ alg: SIGNING_ALG, typ, kid })).toString('base64url');
    const input = `${header}.${Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url')}`;
    return `${input}.${sign('sha256', Buffer.from(input, 'ascii'), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  }

  private key(): Promise<SigningKey> {
    this.signingKey ??= (async () => {
      const [active] = await this.keys.privateJwks();
      const { d: _private, ...publicJwk } = active as JWK & { kid: string };
      // Archived before first use, so that every receipt's key stays verifiable after rotation.
      await this.repo.archiveSigningKey(active.kid!, { ...publicJwk, use: 'sig' });
      const header = Buffer.from(JSON.stringify({ alg: SIGNING_ALG, typ: RECEIPT_JWS_TYPE, kid: active.kid })).toString('base64url');
      return { kid: active.kid!, key: createPrivateKey({ key: active as JsonWebKey, format: 'jwk' }), header };
    })().catch((error) => {
      this.signingKey = undefined;
      throw error;
    });
    return this.signingKey;
  }
}
