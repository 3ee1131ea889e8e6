import { randomBytes } from 'node:crypto';
import { JpkiError } from './jpki.error';
import { checkedBase64, strictBase64 } from './jpki-input.decoder';

/** What a decoder makes of `value`: the bytes (hex), or the refusal. */
function outcome(decode: () => Uint8Array): string {
  try {
    return Buffer.from(decode()).toString('hex');
  } catch (error) {
    if (error instanceof JpkiError) return `refused:${error.code}`;
    throw error;
  }
}

describe('strictBase64', () => {
  const samples: string[] = [];
  beforeAll(() => {
    // Valid encodings of every length class, in both alphabets, padded and not, and mutations of them.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_= \n.!';
    for (let n = 0; n < 40; n++) {
      const bytes = randomBytes(n);
      const forms = [bytes.toString('base64'), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url')];
      for (const form of forms) {
        samples.push(form);
        for (let m = 0; m < 12; m++) {
          const at = (n * 31 + m * 7) % (form.length + 1);
          const c = alphabet[(n * 13 + m * 5) % alphabet.length];
          samples.push(form.slice(0, at) + c + form.slice(at), form.slice(0, at) + c + form.slice(at + 1), form.slice(0, Math.max(0, form.length - 1 - (m % 3))));
        }
        samples.push(`${form}=`, `${form}==`, `${form}===`, `=${form}`);
      }
    }
  });

  it('accepts and refuses exactly what the rule-by-rule check does (its fast path only shortcuts)', () => {
    for (const allowUrl of [true, false]) {
      for (const value of samples) {
        expect([value, outcome(() => strictBase64(value, 'jpki_malformed_certificate', allowUrl))])
          .toEqual([value, outcome(() => checkedBase64(value, 'jpki_malformed_certificate', allowUrl))]);
      }
    }
  });

  it('refuses non-canonical trailing bits, mixed alphabets, whitespace and base64url where it is not allowed', () => {
    for (const [value, allowUrl] of [['QR', true], ['ab+-', true], ['QUFB\nQUFB', true], ['-_-_', false], ['QQ=', true]] as const) {
      expect(outcome(() => strictBase64(value, 'jpki_malformed_signature', allowUrl))).toBe('refused:jpki_malformed_signature');
    }
    expect(outcome(() => strictBase64('QQ', 'jpki_malformed_signature', true))).toBe('41');
    expect(outcome(() => strictBase64('QQ==', 'jpki_malformed_signature', false))).toBe('41');
    expect(outcome(() => strictBase64('-_-_', 'jpki_malformed_signature', true))).toBe('fbffbf');
  });
});
