import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server that serves only an OpenID Provider discovery document, on a free port. */
export interface DiscoveryDocumentServer {
  /** Use as HUB_URL; the issuer is `${hubUrl}/oidc`. */
  hubUrl: string;
  issuer: string;
  requests: number;
  /** While false, the document is answered with 503 (a hub that is still starting). */
  available: boolean;
  close(): Promise<void>;
}

export async function startDiscoveryDocumentServer(): Promise<DiscoveryDocumentServer> {
  const state = { requests: 0, available: true };
  const server: Server = createServer((req, res) => {
    const { port } = server.address() as AddressInfo;
    const issuer = `http://127.0.0.1:${port}/oidc`;
    if (req.method === 'GET' && req.url === '/oidc/.well-known/openid-configuration') {
      state.requests += 1;
      if (!state.available) {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('starting');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/me`,
        jwks_uri: `${issuer}/jwks`,
        end_session_endpoint: `${issuer}/session/end`,
        response_types_supported: ['code'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
        scopes_supported: ['openid', 'profile'],
      }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not_found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const hubUrl = `http://127.0.0.1:${port}`;
  return {
    hubUrl,
    issuer: `${hubUrl}/oidc`,
    get requests() {
      return state.requests;
    },
    get available() {
      return state.available;
    },
    set available(value: boolean) {
      state.available = value;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
