import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The security headers of every hub response, oidc-provider's under /oidc included (it is mounted
 * after this): a CSP with no inline script, no framing by anyone, nosniff, no referrer, and HSTS
 * when the public address is https.
 *
 * `script-src` is stated on purpose: oidc-provider adds the sha256 of the one inline script of its
 * form_post page to an existing `script-src` directive of the response, so that page works while
 * every other inline script stays refused. Sign-in forms and form_post end in a POST or redirect to
 * the service's own address, so form-action cannot be pinned.
 */
export function securityHeaders(publicUrl: string): RequestHandler {
  const https = publicUrl.startsWith('https://');
  return helmet({
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'frame-ancestors': ["'none'"],
        // ASVS 5.0 V3.4.3: no plugins, and no <base> (the hub's pages use none).
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': null,
        'upgrade-insecure-requests': https ? [] : null,
      },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: https,
  });
}
