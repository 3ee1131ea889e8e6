import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import Ajv2020 from 'ajv/dist/2020';
import { giveConsentRequestSchema, IdentityProofingErrorCodes, jpkiVerificationRequestSchema } from '@tsunagu/contracts';
import { ReceiptsJwksController } from '../consent/receipts-jwks.controller';
import { ReceiptsVerifyController } from '../consent/receipts-verify.controller';
import { JPKI_DOCUMENTED_CODES } from './jpki-openapi';
import { JpkiAppController, JpkiController } from './jpki.controller';
import { PortalApiController } from './portal-api.controller';
import { portalOpenApi } from './portal-openapi';

/** Every route of a controller as `METHOD /path` with OpenAPI-style parameters. */
function routesOf(controller: new (...args: never[]) => unknown): string[] {
  const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
  return Object.getOwnPropertyNames(controller.prototype).flatMap((name) => {
    const handler = (controller.prototype as Record<string, unknown>)[name];
    const path = typeof handler === 'function' ? Reflect.getMetadata(PATH_METADATA, handler as object) as string | undefined : undefined;
    if (path === undefined || name === 'constructor') return [];
    const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler as object) as number];
    return [`${method} /${[base, path].filter((p) => p && p !== '/').join('/').replace(/:(\w+)/g, '{$1}')}`];
  });
}

describe('portalOpenApi', () => {
  const doc = portalOpenApi('https://hub.example') as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, object> } };
  const described = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{consentId\}/, '{id}')}`));

  it('describes every route of the portal API, the JPKI API (same device and card app), the receipt keys and receipt verification, and nothing else', () => {
    const routes = [
      ...routesOf(PortalApiController), ...routesOf(JpkiController), ...routesOf(JpkiAppController), ...routesOf(ReceiptsJwksController), ...routesOf(ReceiptsVerifyController),
    ].map((r) => r.replace(/\{consentId\}/, '{id}'));
    expect(described.sort()).toEqual(routes.sort());
  });

  it('documents every identity-proofing code, each under the HTTP status its reason maps to', () => {
    expect([...JPKI_DOCUMENTED_CODES].sort()).toEqual(Object.keys(IdentityProofingErrorCodes).sort());
    const verify = (doc.paths['/api/v1/identity/jpki/app/verifications'].post as { responses: Record<string, { description: string }> }).responses;
    expect(verify['403'].description).toContain('`jpki_transfer_other_session`');
    expect(verify['409'].description).toContain('`jpki_transfer_used`');
    expect(verify['401'].description).toContain('`jpki_transfer_expired`');
    expect(verify['503'].description).toContain('`jpki_ocsp_unauthorized_responder`');
    expect(verify['429'].description).toContain('`too_many_attempts`');
    const { $id: _id, ...schema } = jpkiVerificationRequestSchema;
    expect(doc.components.schemas.JpkiVerificationRequest).toMatchObject(schema);
  });

  it('publishes the very schema the hub validates opt-ins with', () => {
    const { $id: _id, ...schema } = giveConsentRequestSchema;
    expect(doc.components.schemas.GiveConsentRequest).toEqual(schema);
  });

  it('contains only valid JSON Schemas', () => {
    const ajv = new Ajv2020({ strict: false });
    for (const schema of Object.values(doc.components.schemas)) expect(ajv.validateSchema(schema)).toBe(true);
  });
});
