import { createLinkRequestSchema, LinkErrorCodes } from '@tsunagu/contracts';

const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'messageEn'],
      properties: {
        code: { type: 'string', description: 'Stable machine-readable code' },
        message: { type: 'string', description: 'Japanese explanation' },
        messageEn: { type: 'string', description: 'English explanation' },
        details: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, problem: { type: 'string' } } } },
        correlationId: { type: 'string' },
      },
    },
  },
};

function withoutId<T extends { $id?: string }>(schema: T): Omit<T, '$id'> {
  const { $id: _id, ...rest } = schema;
  return rest;
}

/**
 * The hub's service-facing API as OpenAPI 3.1, built from the same JSON Schemas the hub validates
 * requests with (libs/contracts), so the document cannot drift from the code.
 */
export function hubOpenApi(publicUrl: string): Record<string, unknown> {
  const error = (description: string, codes: string[]) => ({
    description: `${description} Codes: ${codes.map((c) => `\`${c}\``).join(', ')}.`,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tsunagu hub API for services',
      version: '1.0.0',
      description: 'ID linking (個別ID紐づけ) for services that sign residents in with Tottori ID. OpenID Connect endpoints are described by the discovery document at /oidc/.well-known/openid-configuration.',
    },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: { residentAccessToken: { type: 'http', scheme: 'bearer', description: 'An access token the hub issued to the calling service for the resident (authorization code flow).' } },
      schemas: {
        Error: errorBody,
        CreateLinkRequest: withoutId(createLinkRequestSchema),
        Link: {
          type: 'object', required: ['serviceId', 'localId', 'linkedAt'],
          properties: { serviceId: { type: 'string' }, localId: { type: 'string' }, linkedAt: { type: 'string', format: 'date-time' } },
        },
      },
    },
    security: [{ residentAccessToken: [] }],
    paths: {
      '/api/v1/links': {
        post: {
          operationId: 'createLink',
          summary: 'Link the service\'s local account ID to the signed-in resident',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateLinkRequest' } } } },
          responses: {
            201: { description: 'Linked.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Link' } } } },
            200: { description: 'The same link already existed (idempotent).', content: { 'application/json': { schema: { $ref: '#/components/schemas/Link' } } } },
            400: error('The body is not valid.', ['invalid_request']),
            401: error('The token is missing, expired or revoked.', ['invalid_token']),
            409: error('A uniqueness rule refused the link.', Object.keys(LinkErrorCodes).filter((c) => c.includes('link') && c !== 'link_not_found')),
          },
        },
      },
      '/api/v1/links/me': {
        get: {
          operationId: 'getMyLink',
          summary: 'The local account ID linked to the resident at the calling service',
          responses: {
            200: { description: 'The link.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Link' } } } },
            401: error('The token is missing, expired or revoked.', ['invalid_token']),
            404: error('No link yet.', ['link_not_found']),
          },
        },
      },
    },
  };
}
