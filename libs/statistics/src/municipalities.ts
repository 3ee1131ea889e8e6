/**
 * Tottori Prefecture's 19 municipalities by their local government code (全国地方公共団体コード,
 * JIS X 0402: prefecture 31, then the municipality; without the check digit), the values a
 * statistics table groups `municipality` by. A provider's adapter reports each resident's
 * municipality as one of these codes; anything else is refused as outside the grid.
 */
export const TOTTORI_MUNICIPALITIES = [
  { code: '31201', ja: '鳥取市', en: 'Tottori' },
  { code: '31202', ja: '米子市', en: 'Yonago' },
  { code: '31203', ja: '倉吉市', en: 'Kurayoshi' },
  { code: '31204', ja: '境港市', en: 'Sakaiminato' },
  { code: '31302', ja: '岩美町', en: 'Iwami' },
  { code: '31325', ja: '若桜町', en: 'Wakasa' },
  { code: '31328', ja: '智頭町', en: 'Chizu' },
  { code: '31329', ja: '八頭町', en: 'Yazu' },
  { code: '31364', ja: '三朝町', en: 'Misasa' },
  { code: '31370', ja: '湯梨浜町', en: 'Yurihama' },
  { code: '31371', ja: '琴浦町', en: 'Kotoura' },
  { code: '31372', ja: '北栄町', en: 'Hokuei' },
  { code: '31384', ja: '日吉津村', en: 'Hiezu' },
  { code: '31386', ja: '大山町', en: 'Daisen' },
  { code: '31389', ja: '南部町', en: 'Nanbu' },
  { code: '31390', ja: '伯耆町', en: 'Hōki' },
  { code: '31401', ja: '日南町', en: 'Nichinan' },
  { code: '31402', ja: '日野町', en: 'Hino' },
  { code: '31403', ja: '江府町', en: 'Kōfu' },
] as const;

export const TOTTORI_MUNICIPALITY_CODES: readonly string[] = TOTTORI_MUNICIPALITIES.map((m) => m.code);
