import Ajv2020 from 'ajv/dist/2020';
import { createLinkRequestSchema } from '@tsunagu/contracts';
import { hubOpenApi } from './openapi';

describe('hubOpenApi', () => {
  const doc = hubOpenApi('https://hub.example') as { paths: Record<string, unknown>; components: { schemas: Record<string, object> } };

  it('describes every service-facing route', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/v1/links', '/api/v1/links/me']);
  });

  it('publishes the very schema the hub validates link requests with', () => {
    const { $id: _id, ...schema } = createLinkRequestSchema;
    expect(doc.components.schemas.CreateLinkRequest).toEqual(schema);
  });

  it('contains only valid JSON Schemas', () => {
    const ajv = new Ajv2020({ strict: false });
    for (const schema of Object.values(doc.components.schemas)) expect(ajv.validateSchema(schema)).toBe(true);
  });
});
