import QRCode from 'qrcode';

/** An SVG QR code of a hand-over link the hub made itself (not user input), or undefined if it cannot be made. */
export async function qrCodeSvg(text: string): Promise<string | undefined> {
  try {
    return await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  } catch {
    return undefined;
  }
}
