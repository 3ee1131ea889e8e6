import type { Msg } from '@tsunagu/web';

/** Browsers, most specific first (Edge and Samsung Internet also say "Chrome"; Chrome also says "Safari"). */
const BROWSERS: [RegExp, string][] = [
  [/EdgA?\/|EdgiOS\//, 'Edge'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/OPR\/|Opera/, 'Opera'],
  [/Line\//, 'LINE'],
  [/FxiOS\/|Firefox\//, 'Firefox'],
  [/CriOS\/|Chrome\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];

/** Systems, with their words (a phone and a tablet are named as people call them). */
const SYSTEMS: [RegExp, Msg][] = [
  [/iPhone/, { ja: 'iPhone', en: 'iPhone' }],
  [/iPad/, { ja: 'iPad', en: 'iPad' }],
  [/Android.*Mobile/, { ja: 'Android スマートフォン', en: 'Android phone' }],
  [/Android/, { ja: 'Android タブレット', en: 'Android tablet' }],
  [/CrOS/, { ja: 'Chromebook', en: 'Chromebook' }],
  [/Windows/, { ja: 'Windows パソコン', en: 'Windows PC' }],
  [/Macintosh|Mac OS X/, { ja: 'Mac', en: 'Mac' }],
  [/Linux/, { ja: 'Linux パソコン', en: 'Linux PC' }],
];

/**
 * A User-Agent header in words a resident recognises: 「iPhone の Safari」, "Chrome on a Windows PC".
 * Only the family of browser and system, never versions: enough to tell one's devices apart,
 * and nothing that would read as a code. An unknown or missing header is 「不明な端末」.
 */
export function deviceWords(userAgent: string | undefined | null): Msg {
  const ua = userAgent ?? '';
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1];
  if (browser && system) return { ja: `${system.ja} の ${browser}`, en: `${browser} on ${article(system.en)}${system.en}` };
  if (system) return { ja: system.ja, en: system.en };
  if (browser) return { ja: `${browser}（端末不明）`, en: `${browser} (unknown device)` };
  return { ja: '不明な端末', en: 'Unknown device' };
}

/** Product names go bare ("on iPhone"); kinds of device take an article ("on an Android phone"). */
function article(system: string): string {
  if (/^(iPhone|iPad|Mac)$/.test(system)) return '';
  return /^[AEIOU]/.test(system) ? 'an ' : 'a ';
}
