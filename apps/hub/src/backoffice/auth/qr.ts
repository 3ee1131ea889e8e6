import QRCode from 'qrcode';

/** An SVG QR code of an otpauth:// URI (for the one-time credentials card), or undefined if it cannot be made. */
export async function qrSvg(uri: string): Promise<string | undefined> {
  try {
    return await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  } catch {
    return undefined;
  }
}

/** The same QR code drawn with block characters, for a terminal (the admin:create command). */
export async function qrText(uri: string): Promise<string | undefined> {
  try {
    return await QRCode.toString(uri, { type: 'utf8', errorCorrectionLevel: 'M', margin: 2 });
  } catch {
    return undefined;
  }
}
