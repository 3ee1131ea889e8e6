import type { JpkiVerificationRequest } from '@tsunagu/contracts';
import { JpkiException } from './jpki.exception';

const PEM = /^-----BEGIN CERTIFICATE-----[ \t]*\r?\n([A-Za-z0-9+/=\r\n \t]*?)-----END CERTIFICATE-----$/;
const LINE_BREAKS = /\r\n|\r|\n/g;

/**
 * The encodings card apps send (docs/jpki-hub.md "Request format for card apps"), reduced to the
 * one the verifier reads — base64 or base64url of the DER without whitespace — before anything
 * is decoded: a certificate as PEM (one CERTIFICATE block), or base64 with line breaks (MIME's
 * 76-character lines); a signature with line breaks. Nothing else is tolerated (spaces inside a
 * base64 line, several PEM blocks, a private key block: `jpki_malformed_certificate`). Sizes
 * stay bounded: the JSON Schema caps the strings, and the verifier caps the decoded sizes.
 */
export function normalizeCardAppInput(request: JpkiVerificationRequest): JpkiVerificationRequest {
  return { ...request, certificate: certificateText(request.certificate), signature: request.signature.trim().replace(LINE_BREAKS, '') };
}

function certificateText(value: string): string {
  const text = value.trim();
  if (!text.startsWith('-----')) return text.replace(LINE_BREAKS, '');
  const match = PEM.exec(text);
  if (!match) throw new JpkiException('jpki_malformed_certificate');
  const body = match[1].replace(LINE_BREAKS, '').replace(/[ \t]+$/gm, '');
  if (/[ \t]/.test(body)) throw new JpkiException('jpki_malformed_certificate');
  return body;
}
