import {
  consentReceiptSchema, CONTROLLER_TYPE_CODES, giveConsentRequestSchema, PORTAL_CSRF_HEADER, PROVISION_RECEIPTS, PURPOSE_CATEGORY_CODES, STATISTICS_AGGREGATES, STATISTICS_GROUPING_DIMENSIONS,
  withdrawConsentRequestSchema,
} from '@tsunagu/contracts';
import { jpkiOpenApiPaths, jpkiOpenApiSchemas, jpkiSecuritySchemes } from './jpki-openapi';

function withoutId<T extends { $id?: string }>(schema: T): Omit<T, '$id'> {
  const { $id: _id, ...rest } = schema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const bilingual = { type: 'object', required: ['ja', 'en'], properties: { ja: { type: 'string' }, en: { type: 'string' } } };
const named = { type: 'object', required: ['clientId', 'name'], properties: { clientId: { type: 'string' }, name: ref('Bilingual') } };
const dateTime = { type: 'string', format: 'date-time' };
const itemName = { type: 'object', required: ['code', 'name'], properties: { code: { type: 'string' }, name: ref('Bilingual') } };

const consentVersion = {
  type: 'object',
  required: ['consentId', 'version', 'state', 'event', 'dataUse', 'dataUseRevision', 'reason', 'items', 'purposeCode', 'validFrom', 'validUntil', 'createdAt', 'receiptId'],
  properties: {
    consentId: { type: 'string', format: 'uuid' }, version: { type: 'integer', minimum: 1 },
    state: { type: 'string', enum: ['active', 'withdrawn', 'expired', 'paused', 'ended'] },
    event: { type: 'string', enum: ['given', 'withdrawn', 'expired', 'paused', 'ended'] },
    dataUse: { type: 'string' }, dataUseRevision: { type: 'integer' }, items: { type: 'array', items: { type: 'string' } },
    reason: {
      type: ['string', 'null'], enum: ['terms_changed', 'agreement_suspended', 'agreement_retired', 'data_use_retired', 'offer_withdrawn', 'identity_certificate_revoked', 'identity_certificate_expired', 'identity_reverified', 'tenant_left', null],
      description: 'Why the platform paused or ended the consent (null for the resident\'s own decisions and for an expiry); words in CONSENT_CHANGE_REASON_LABELS',
    },
    purposeCode: { type: 'string' }, validFrom: dateTime, validUntil: { type: ['string', 'null'], format: 'date-time' }, createdAt: dateTime,
    receiptId: { type: 'string', format: 'uuid', description: 'Record ID of this version\'s signed receipt' },
  },
};

/**
 * The resident portal's JSON API as OpenAPI 3.1 — a document of its own, apart from the
 * service-facing one: another audience (a resident's app), another security model (the hub
 * session cookie and a CSRF header instead of a service's bearer token).
 */
export function portalOpenApi(publicUrl: string): Record<string, unknown> {
  const error = (description: string, codes: string[]) => ({ description: `${description} Codes: ${codes.map((c) => `\`${c}\``).join(', ')}.`, content: json(ref('Error')) });
  const signedOut = error('Not signed in.', ['not_signed_in']);
  const csrf = error('The CSRF header is missing or wrong.', ['csrf_invalid']);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tsunagu resident portal API',
      version: '1.0.0',
      description: 'What the resident portal pages do, as JSON, for a resident\'s app: data uses, opt-in and opt-out, consent history, '
        + 'signed consent receipts (verifiable offline with the keys at /oidc/jwks or /api/v1/receipts/jwks), the provision ledger and linked services. '
        + 'Identity proofing with the My Number card (JPKI): challenges and verifications on the same device, and hand-overs to a card app on another device, whose requests carry a one-time transfer token instead of the cookie (docs/jpki-hub.md). '
        + `Sign in at /account/login; the session cookie authenticates. Every POST and DELETE carries the session's CSRF token (from GET /api/v1/portal/me) in the \`${PORTAL_CSRF_HEADER}\` header.`,
    },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: {
        residentSession: { type: 'apiKey', in: 'cookie', name: '_session', description: 'The hub\'s single sign-on session cookie (set by signing in).' },
        csrfToken: { type: 'apiKey', in: 'header', name: PORTAL_CSRF_HEADER, description: 'The session\'s CSRF token, required on POST and DELETE.' },
        ...jpkiSecuritySchemes,
      },
      schemas: {
        Error: {
          type: 'object', required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message', 'messageEn'], properties: { code: { type: 'string' }, message: { type: 'string' }, messageEn: { type: 'string' }, details: { type: 'array', items: { type: 'object' } }, correlationId: { type: 'string' } } } },
        },
        Bilingual: bilingual,
        GiveConsentRequest: withoutId(giveConsentRequestSchema),
        WithdrawConsentRequest: withoutId(withdrawConsentRequestSchema),
        ConsentReceipt: withoutId(consentReceiptSchema),
        ReceiptVerification: {
          type: 'object', required: ['valid', 'kind', 'receipts'],
          properties: {
            valid: { const: true }, kind: { type: 'string', enum: ['receipt', 'chain'] },
            receipts: {
              type: 'array',
              items: {
                type: 'object', required: ['recordId', 'sequence', 'event', 'timestamp', 'consentId', 'version', 'dataUse'],
                properties: { recordId: { type: 'string', format: 'uuid' }, sequence: { type: 'integer' }, event: { type: 'string', enum: ['given', 'withdrawn', 'expired', 'paused', 'ended'] }, timestamp: dateTime, consentId: { type: 'string', format: 'uuid' }, version: { type: 'integer' }, dataUse: { type: 'string' } },
              },
            },
          },
        },
        ReceiptEnvelope: { type: 'object', required: ['recordId', 'jws', 'receipt'], properties: { recordId: { type: 'string', format: 'uuid' }, jws: { type: 'string', description: 'Compact JWS (ES256, typ consent-receipt+jws)' }, receipt: ref('ConsentReceipt') } },
        DataItem: { type: 'object', required: ['code', 'name', 'description', 'specialCare', 'provider'], properties: { code: { type: 'string' }, name: ref('Bilingual'), description: ref('Bilingual'), specialCare: { type: 'boolean' }, provider: named } },
        DataUse: {
          type: 'object', required: ['code', 'revision', 'title', 'purpose', 'items', 'retentionDays', 'consentValidDays', 'controller', 'purposeCategory', 'controllerType', 'privacyNoticeUrl', 'requiresVerifiedIdentity', 'consumer'],
          properties: {
            code: { type: 'string' }, revision: { type: 'integer' }, title: ref('Bilingual'),
            purpose: { type: 'object', properties: { code: { type: 'string' }, description: ref('Bilingual') } },
            items: { type: 'array', items: ref('DataItem') }, retentionDays: { type: 'integer' }, consentValidDays: { type: ['integer', 'null'] },
            controller: { type: 'object', properties: { name: ref('Bilingual'), contact: { type: 'string' } } },
            purposeCategory: {
              type: 'object', required: ['code', 'name', 'iri'], description: 'The purpose category, a closed list aligned with W3C DPV purposes',
              properties: { code: { type: 'string', enum: PURPOSE_CATEGORY_CODES }, name: ref('Bilingual'), iri: { type: 'string', format: 'uri', description: 'The DPV purpose, e.g. https://w3id.org/dpv#ServiceProvision' } },
            },
            controllerType: {
              type: 'object', required: ['code', 'name', 'article', 'lawfulBasis'],
              description: 'Private business or public body (行政機関等), and the lawful basis that follows: APPI Art. 27(1) or Art. 69(2)(i)',
              properties: { code: { type: 'string', enum: CONTROLLER_TYPE_CODES }, name: ref('Bilingual'), article: { type: 'string', examples: ['27(1)', '69(2)(i)'] }, lawfulBasis: ref('Bilingual') },
            },
            privacyNoticeUrl: { type: 'string' },
            requiresVerifiedIdentity: { type: 'boolean', description: 'Only residents verified with the My Number card may consent; their consents pause when the verification lapses (reason identity_certificate_revoked / identity_certificate_expired) and resume after a new verification (identity_reverified).' },
            consumer: named,
            statistics: {
              type: 'object', required: ['aggregate', 'groupBy', 'period', 'k', 'noise'],
              description: 'Present for a data use of kind statistics: the provider\'s connector computes this aggregate over the residents who opted in and releases only groups of at least k residents; nothing about one resident leaves the provider.',
              properties: {
                aggregate: { type: 'object', properties: { code: { type: 'string', enum: [...STATISTICS_AGGREGATES] }, name: ref('Bilingual') } },
                groupBy: { type: 'array', items: { type: 'object', properties: { code: { type: 'string', enum: [...STATISTICS_GROUPING_DIMENSIONS] }, name: ref('Bilingual') } } },
                period: { type: 'object', properties: { from: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}$' }, to: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}$' } } },
                k: { type: 'integer', minimum: 10 }, noise: { type: 'boolean', description: 'Discrete Laplace noise is added to every published figure.' },
              },
            },
          },
        },
        TermsDifference: {
          type: 'object', required: ['term'],
          properties: {
            term: { type: 'string', enum: ['items', 'title', 'purpose', 'purposeCategory', 'retentionDays', 'consentValidDays', 'controller', 'controllerType', 'privacyNoticeUrl'] },
            added: { type: 'array', items: itemName, description: 'items only: the items added, by name' },
            removed: { type: 'array', items: itemName, description: 'items only: the items removed, by name' },
            before: { oneOf: [ref('Bilingual'), { type: 'null' }], description: 'The value the resident agreed to, in words' },
            after: { oneOf: [ref('Bilingual'), { type: 'null' }], description: 'The current value, in words' },
          },
        },
        TermsChange: {
          type: 'object', required: ['fromRevision', 'toRevision', 'differences'],
          description: '条件が変わりました: the terms the resident agreed to (their consent\'s revision) against the current ones',
          properties: { fromRevision: { type: 'integer' }, toRevision: { type: 'integer' }, differences: { type: 'array', items: ref('TermsDifference'), description: 'Empty when the earlier terms are not on record' } },
        },
        Notice: {
          type: 'object', required: ['kind', 'consentId', 'dataUse', 'title', 'consumer', 'reason', 'message', 'at', 'noticedAt', 'link', 'actionRequired'],
          properties: {
            kind: { type: 'string', enum: ['paused', 'ended', 'expiring'] }, consentId: { type: 'string', format: 'uuid' }, dataUse: { type: 'string' },
            title: ref('Bilingual'), consumer: named,
            reason: { type: ['string', 'null'], enum: ['terms_changed', 'agreement_suspended', 'agreement_retired', 'data_use_retired', 'offer_withdrawn', 'identity_certificate_revoked', 'identity_certificate_expired', 'identity_reverified', 'tenant_left', null] },
            message: ref('Bilingual'),
            at: { ...dateTime, description: 'When the consent was paused or ended, or when it expires' },
            noticedAt: { ...dateTime, description: 'When the notice appeared (an expiry: 30 days before); the list is newest first by it' },
            link: { type: 'string', description: 'Portal path where the resident acts on it' },
            actionRequired: { type: 'boolean', description: 'The resident is asked to decide again' },
          },
        },
        ConsentVersion: consentVersion,
        Consent: { allOf: [ref('ConsentVersion'), { type: 'object', required: ['needsReconsent'], properties: { needsReconsent: { type: 'boolean' } } }] },
        DataUseWithConsent: {
          type: 'object', required: ['dataUse', 'consent'],
          properties: {
            dataUse: ref('DataUse'), consent: { oneOf: [ref('Consent'), { type: 'null' }] }, termsChange: { ...ref('TermsChange'), description: 'GET /data-uses/{code} only, when the resident must decide again because the terms changed' },
            identityRequired: {
              type: 'string', enum: ['not_verified', 'lapsed'],
              description: 'Present when the data use requires a verified identity and the resident\'s is not verified now (never verified, or the card\'s certificate was revoked or expired): an opt-in is refused (identity_not_verified, identity_verification_required) until they verify with the My Number card at /account/verify.',
            },
          },
        },
        ConsentHistory: {
          type: 'object', required: ['consentId', 'dataUse', 'current', 'versions', 'enforcement'],
          properties: {
            consentId: { type: 'string' }, dataUse: ref('DataUse'), current: ref('Consent'), versions: { type: 'array', items: ref('ConsentVersion') },
            enforcement: { oneOf: [ref('Enforcement'), { type: 'null' }], description: 'How the current version was enforced at the connectors (null for a first opt-in).' },
          },
        },
        Decision: {
          type: 'object', required: ['consent', 'receipt', 'enforcement'],
          properties: {
            consent: ref('Consent'), receipt: ref('ReceiptEnvelope'),
            enforcement: {
              oneOf: [ref('Enforcement'), { type: 'null' }],
              description: 'The answer comes once every connector holding or serving a grant under the consent acknowledged (at most about a second); null for a first opt-in.',
            },
          },
        },
        Enforcement: {
          type: 'object', required: ['consentId', 'version', 'committedAt', 'complete', 'enforcedAt', 'enforcedBy', 'connectors', 'statement'],
          description: 'A change that stops data, enforced before the answer (ARCHITECTURE.md §6).',
          properties: {
            consentId: { type: 'string', format: 'uuid' }, version: { type: 'integer' }, committedAt: dateTime,
            complete: { type: 'boolean', description: 'Every provider acknowledged: no data leaves under the consent any more.' },
            enforcedAt: { type: ['string', 'null'], format: 'date-time', description: 'When the last provider acknowledged.' },
            enforcedBy: { ...dateTime, description: 'enforcedAt when complete; else the latest moment a provider that has not acknowledged can still serve (its staleness bound after the commit, or its grant\'s expiry).' },
            statement: {
              type: ['string', 'null'],
              description: 'The hub\'s signed statement of these moments as answered: compact JWS, typ consent-enforcement+jws, signed with the receipt keys (/oidc/jwks); verifyEnforcementStatement in @tsunagu/contracts.',
            },
            connectors: {
              type: 'array',
              items: {
                type: 'object', required: ['connectorId', 'role', 'service', 'state', 'at'],
                properties: {
                  connectorId: { type: 'string', format: 'uuid' }, role: { type: 'string', enum: ['provider', 'consumer'] }, service: ref('Bilingual'),
                  state: { type: 'string', enum: ['enforced', 'pending', 'lapsed'] }, at: { ...dateTime, description: 'When it acknowledged, or the latest moment it can still act.' },
                },
              },
            },
          },
        },
        LinkedService: { type: 'object', required: ['id', 'clientId', 'name', 'localId', 'linkedAt'], properties: { id: { type: 'string' }, clientId: { type: 'string' }, name: ref('Bilingual'), localId: { type: 'string' }, linkedAt: dateTime } },
        Provision: {
          type: 'object', required: ['id', 'occurredAt', 'provider', 'consumer', 'dataUse', 'items', 'itemNames', 'purposeCode', 'consentId', 'consentVersion', 'outcome'],
          properties: { id: { type: 'string' }, occurredAt: dateTime, provider: named, consumer: named, dataUse: { type: 'string' }, items: { type: 'array', items: { type: 'string' } }, itemNames: { type: 'array', items: { type: 'object', required: ['code', 'name'], properties: { code: { type: 'string' }, name: ref('Bilingual') } } }, purposeCode: { type: 'string' }, consentId: { type: 'string' }, consentVersion: { type: 'integer' }, outcome: { type: 'string', enum: ['provided', 'refused'] },
            receipt: {
              type: 'string', enum: [...PROVISION_RECEIPTS],
              description: 'Only when outcome is provided: whether the recipient\'s connector confirmed receipt. `pending` within 2 minutes of the provision (or of the provider\'s report arriving, if later), `unconfirmed` after that: the provider reported sending the data, the recipient has not reported receiving it (the entry stays).',
            } },
        },
        Home: {
          type: 'object', required: ['commonId', 'displayName', 'identityVerifiedAt', 'linkedServices', 'pendingRequests', 'noticeCount', 'csrfToken'],
          properties: {
            commonId: { type: 'string', pattern: '^\\d{16}$' }, displayName: { type: 'string' }, identityVerifiedAt: { type: ['string', 'null'], format: 'date-time' },
            linkedServices: { type: 'array', items: ref('LinkedService') },
            pendingRequests: { type: 'array', items: { type: 'object', properties: { dataUse: { type: 'string' }, title: ref('Bilingual'), reason: { type: 'string', enum: ['new', 'terms_changed'] } } } },
            noticeCount: { type: 'integer', minimum: 0, description: 'How many notices GET /api/v1/portal/notices lists' },
            csrfToken: { type: 'string' },
          },
        },
        Jwks: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: { type: 'object' } } } },
        ...jpkiOpenApiSchemas,
      },
    },
    security: [{ residentSession: [] }],
    paths: {
      ...jpkiOpenApiPaths(),
      '/api/v1/portal/me': { get: { operationId: 'getHome', summary: 'Common ID, verification, linked services, pending requests and the CSRF token', responses: { 200: { description: 'The home.', content: json(ref('Home')) }, 401: signedOut } } },
      '/api/v1/portal/notices': {
        get: {
          operationId: 'listNotices', summary: 'Notices (お知らせ): consents paused (decide again), ended, or expiring within 30 days; newest first',
          responses: { 200: { description: 'Notices.', content: json({ type: 'object', required: ['notices'], properties: { notices: { type: 'array', items: ref('Notice') } } }) }, 401: signedOut },
        },
      },
      '/api/v1/portal/data-uses': { get: { operationId: 'listDataUses', summary: 'Data uses asking for the resident\'s data, each with the resident\'s current consent', responses: { 200: { description: 'Data uses.', content: json({ type: 'array', items: ref('DataUseWithConsent') }) }, 401: signedOut } } },
      '/api/v1/portal/data-uses/{code}': {
        get: {
          operationId: 'getDataUse', summary: 'One data use (what the opt-in screen shows), with what changed when the resident must decide again',
          parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'The data use.', content: json(ref('DataUseWithConsent')) }, 401: signedOut, 404: error('No such data use.', ['data_use_not_found']) },
        },
      },
      '/api/v1/portal/consents': {
        get: { operationId: 'listConsents', summary: 'The resident\'s consents (current version of each)', responses: { 200: { description: 'Consents.', content: json({ type: 'array', items: ref('DataUseWithConsent') }) }, 401: signedOut } },
        post: {
          operationId: 'giveConsent', summary: 'Opt in (or change the items of an active consent); returns the new version and its signed receipt',
          security: [{ residentSession: [], csrfToken: [] }],
          requestBody: { required: true, content: json(ref('GiveConsentRequest')) },
          responses: {
            201: { description: 'Recorded.', content: json(ref('Decision')) },
            400: error('Bad body or items.', ['invalid_request', 'items_not_offered', 'no_items_selected']),
            401: signedOut,
            403: error('The CSRF header is missing or wrong; or the data use requires a verified identity the resident does not have now (verify with the My Number card at /account/verify first).', ['csrf_invalid', 'identity_not_verified', 'identity_verification_required']),
            404: error('No such data use.', ['data_use_not_found']),
            409: error('Already consented with these items, or another decision came first.', ['already_consented', 'consent_conflict']),
          },
        },
      },
      '/api/v1/portal/consents/{consentId}': {
        get: {
          operationId: 'getConsent', summary: 'A consent with every version, newest first',
          parameters: [{ name: 'consentId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: { 200: { description: 'The history.', content: json(ref('ConsentHistory')) }, 401: signedOut, 404: error('Not the resident\'s consent, or none.', ['consent_not_found']) },
        },
      },
      '/api/v1/portal/consents/{consentId}/withdraw': {
        post: {
          operationId: 'withdrawConsent', summary: 'Opt out: withdraw an active or paused consent',
          security: [{ residentSession: [], csrfToken: [] }],
          parameters: [{ name: 'consentId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          requestBody: { required: false, content: json(ref('WithdrawConsentRequest')) },
          responses: {
            200: { description: 'Withdrawn.', content: json(ref('Decision')) }, 400: error('Bad body.', ['invalid_request']), 401: signedOut, 403: csrf,
            404: error('Not the resident\'s consent, or none.', ['consent_not_found']),
            409: error('Already withdrawn or expired, or another decision came first.', ['consent_not_active', 'consent_conflict']),
          },
        },
      },
      '/api/v1/portal/receipts': { get: { operationId: 'listReceipts', summary: 'The resident\'s receipt chain, oldest first (the file receipt:verify checks)', responses: { 200: { description: 'The chain.', content: json({ type: 'object', required: ['receipts'], properties: { receipts: { type: 'array', items: ref('ReceiptEnvelope') } } }) }, 401: signedOut } } },
      '/api/v1/portal/receipts/{recordId}': {
        get: {
          operationId: 'getReceipt', summary: 'One signed consent receipt',
          parameters: [{ name: 'recordId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: {
            200: {
              description: 'The receipt, with the enforcement of the change it records (the moments of commit and of full enforcement).',
              content: json({ allOf: [ref('ReceiptEnvelope'), { type: 'object', required: ['enforcement'], properties: { enforcement: { oneOf: [ref('Enforcement'), { type: 'null' }] } } }] }),
            },
            401: signedOut, 404: error('Not the resident\'s receipt, or none.', ['receipt_not_found']),
          },
        },
      },
      '/api/v1/portal/provisions': {
        get: {
          operationId: 'listProvisions', summary: 'The provision ledger (提供記録): who received the resident\'s data, newest first',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'string', pattern: '^[0-9]{1,3}$' }, description: '1–200, default 50' },
            { name: 'before', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'Page: entries before this time' },
          ],
          responses: { 200: { description: 'Entries.', content: json({ type: 'object', required: ['provisions'], properties: { provisions: { type: 'array', items: ref('Provision') } } }) }, 400: error('Bad query.', ['invalid_request']), 401: signedOut },
        },
      },
      '/api/v1/portal/links': { get: { operationId: 'listLinks', summary: 'Services linked to the resident', responses: { 200: { description: 'Links.', content: json({ type: 'array', items: ref('LinkedService') }) }, 401: signedOut } } },
      '/api/v1/portal/links/{id}': {
        delete: {
          operationId: 'unlink', summary: 'Remove a linked service: unlinks it, revokes its OIDC grants with every access and refresh token, and signs it out by back-channel logout', security: [{ residentSession: [], csrfToken: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: { 204: { description: 'Removed.' }, 401: signedOut, 403: csrf, 404: error('No such link of the resident.', ['link_not_found']) },
        },
      },
      '/api/v1/receipts/jwks': {
        get: { operationId: 'receiptKeys', summary: 'Every public key that has signed a consent receipt (kept after key rotation)', security: [], responses: { 200: { description: 'JWKS.', content: json(ref('Jwks')) } } },
      },
      '/api/v1/receipts/verify': {
        post: {
          operationId: 'verifyReceipts', security: [],
          summary: 'Verify a receipt or a whole receipt chain against this hub\'s keys (public; nothing of the body is kept)',
          description: 'The body is a file as the portal hands it out: one receipt (`{ "jws": … }`), the chain document (`{ "receipts": [ … ] }`) '
            + 'or a list of receipts or JWS strings. A chain must start at sequence 1 with none missing or reordered. Bodies up to 64 kB '
            + '(for a longer chain use the page /portal/receipts/verify, up to 1 MB).',
          requestBody: {
            required: true,
            content: json({ oneOf: [ref('ReceiptEnvelope'), { type: 'object', required: ['receipts'], properties: { receipts: { type: 'array', items: { oneOf: [ref('ReceiptEnvelope'), { type: 'string' }] } } } }, { type: 'array', items: { oneOf: [ref('ReceiptEnvelope'), { type: 'string' }] } }] }),
          },
          responses: {
            200: { description: 'Every receipt is genuine (and the chain complete).', content: json(ref('ReceiptVerification')) },
            400: error('Not verified: `details` name each place (`document` or `receipts[i]`) and its problem (`altered`, `missing`, `other_hub`, `not_receipt_file`, …).', ['receipt_not_verified', 'invalid_request']),
            413: error('Body over 64 kB.', ['payload_too_large']),
          },
        },
      },
    },
  };
}
