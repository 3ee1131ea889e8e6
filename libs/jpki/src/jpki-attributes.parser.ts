import * as nodeBuffer from 'node:buffer';
import { childrenOf, contextTag, DerError, readOid, readWhole, TAG } from './der.reader';
import { JpkiError } from './jpki.error';
import { JPKI_ATTRIBUTE, JPKI_ATTRIBUTE_ARC } from './jpki.oids';

/** The basic attributes (基本4情報) of a JPKI signature certificate. */
export interface JpkiBasicAttributes {
  /** 氏名 */
  readonly name: string;
  /**
   * 氏名代替文字の使用位置情報, as written: one `0`/`1` per character of `name`, `1` marking a
   * substitute character (代替文字) that stands for a character outside the card's character set
   * (JIS levels 1–2 and supplementary kanji). Not a second name. Omitted when the card has none or
   * when it is malformed (then `nameHasSubstitutes` is true: the positions are unknown).
   */
  readonly nameSubstitute?: string;
  /**
   * Whether the name may differ from the resident register because of substitute characters:
   * true when a flag is `1`, or when the flags are present but unreadable (conservative).
   */
  readonly nameHasSubstitutes: boolean;
  /** 性別: the code exactly as written in the certificate. */
  readonly gender: string;
  /** 生年月日 as an ISO date, `yyyy-mm-dd`. */
  readonly dateOfBirth: string;
  /** 生年月日 as written: `EYYYYMMDD` (era digit + Gregorian date). */
  readonly dateOfBirthRaw: string;
  /** 住所 */
  readonly address: string;
  /** 住所代替文字の使用位置情報: one `0`/`1` per character of `address`, like `nameSubstitute`. */
  readonly addressSubstitute?: string;
  /** Like `nameHasSubstitutes`, for the address. */
  readonly addressHasSubstitutes: boolean;
}

/**
 * The positions (0-based, in Unicode code points) of the characters of `text` that `flags`
 * marks as substitute characters (代替文字). Empty when none is marked or the flags do not fit
 * the text.
 */
export function substituteCharacterPositions(text: string, flags: string | undefined): number[] {
  if (flags === undefined || !fitsFlags(text, flags)) return [];
  const positions: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags.charCodeAt(i) === 0x31) positions.push(i);
  return positions;
}

/** Flags are well formed when they hold only `0`/`1`, one per code point of the text. */
function fitsFlags(text: string, flags: string): boolean {
  return /^[01]+$/.test(flags) && codePoints(text) === flags.length;
}

/** Number of code points of `text` (a surrogate pair is one), without building an array of them. */
function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Node's native UTF-8 validation (simdutf, Node ≥ 18.14), the same acceptance as a fatal TextDecoder. */
const isUtf8 = (nodeBuffer as { isUtf8?: (input: Uint8Array) => boolean }).isUtf8;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Strict UTF-8 (invalid input throws, like the fatal TextDecoder) with a fast path: ASCII and
 * clean text go through Buffer's decoder, which costs far less per call than TextDecoder; only
 * text in which Buffer put a U+FFFD is handed to the fatal decoder to decide.
 */
function decodeUtf8(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return buffer.toString('latin1');
  if (isUtf8) {
    if (!isUtf8(bytes)) throw new DerError('attribute is not valid UTF-8');
    return buffer.toString('utf8');
  }
  const text = buffer.toString('utf8');
  return text.includes('\uFFFD') ? utf8.decode(bytes) : text;
}
const OTHER_NAME = contextTag(0);

/**
 * Parses the JPKI date of birth `EYYYYMMDD` — one era digit (元号区分) followed by the Gregorian
 * year, month and day — into an ISO date. The era digit is kept only in the raw form; the date
 * must exist in the Gregorian calendar. Returns undefined when the value is not of that form.
 */
export function parseJpkiDateOfBirth(raw: string): string | undefined {
  const m = /^([0-9])([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(raw);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (year < 1800 || month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  return `${m[2]}-${m[3]}-${m[4]}`;
}

const PRINTABLE_STRING = 0x13;
const IA5_STRING = 0x16;
const KNOWN: ReadonlySet<string> = new Set(Object.values(JPKI_ATTRIBUTE));
const FLAG_ATTRIBUTES: ReadonlySet<string> = new Set([JPKI_ATTRIBUTE.nameSubstitute, JPKI_ATTRIBUTE.addressSubstitute]);

/**
 * Reads the attributes from the subjectAltName extension value (GeneralNames): otherName
 * entries whose type-id lies under 1.2.392.200149.8.5.5, each an [0] EXPLICIT value. The four
 * basic attributes must be UTF8String; the two substitute-character flag attributes may be
 * UTF8String, PrintableString or IA5String (they are ASCII `0`/`1`). An attribute under the arc
 * that this version does not know (a future one) is skipped whatever its string type. Other
 * GeneralName choices are ignored. Absent, empty, duplicated or undecodable required attributes
 * are refused with `jpki_missing_attributes`; a malformed optional flag attribute is not a refusal.
 */
export function readBasicAttributes(subjectAltName: Uint8Array | undefined): JpkiBasicAttributes {
  if (!subjectAltName) throw new JpkiError('jpki_missing_attributes', 'no subjectAltName');
  const values = new Map<string, string>();
  const unreadable = new Set<string>();
  try {
    const names = readWhole(subjectAltName, TAG.SEQUENCE, 'GeneralNames');
    for (const gn of childrenOf(subjectAltName, names)) {
      if (gn.tag !== OTHER_NAME) continue;
      const parts = childrenOf(subjectAltName, gn);
      if (parts.length !== 2 || parts[1].tag !== contextTag(0)) throw new DerError('otherName');
      const oid = readOid(subjectAltName, parts[0]);
      if (!oid.startsWith(JPKI_ATTRIBUTE_ARC + '.')) continue;
      const inner = childrenOf(subjectAltName, parts[1]);
      if (inner.length !== 1) throw new DerError('otherName value');
      if (!KNOWN.has(oid)) continue; // a future attribute: not ours to judge
      const tag = inner[0].tag;
      const bytes = subjectAltName.subarray(inner[0].contentStart, inner[0].end);
      if (FLAG_ATTRIBUTES.has(oid)) {
        const text = tag === TAG.UTF8_STRING || tag === PRINTABLE_STRING || tag === IA5_STRING ? decodeOrUndefined(bytes) : undefined;
        if (text === undefined || values.has(oid) || unreadable.has(oid)) unreadable.add(oid);
        else values.set(oid, text);
        continue;
      }
      if (tag !== TAG.UTF8_STRING) throw new DerError(`attribute ${oid} is not a UTF8String`);
      if (values.has(oid)) throw new DerError(`attribute ${oid} appears twice`);
      values.set(oid, decodeUtf8(bytes));
    }
  } catch (error) {
    if (error instanceof JpkiError) throw error;
    const detail = error instanceof DerError ? error.message : 'undecodable attribute';
    throw new JpkiError('jpki_missing_attributes', detail, { cause: error });
  }

  const required = (key: keyof typeof JPKI_ATTRIBUTE): string => {
    const value = values.get(JPKI_ATTRIBUTE[key]);
    if (value === undefined || value.trim() === '') throw new JpkiError('jpki_missing_attributes', `no ${key}`);
    return value;
  };
  const optional = (key: keyof typeof JPKI_ATTRIBUTE): string | undefined => {
    const value = values.get(JPKI_ATTRIBUTE[key]);
    return value === undefined || value === '' ? undefined : value;
  };

  const name = required('name');
  const gender = required('gender');
  const dateOfBirthRaw = required('dateOfBirth');
  const address = required('address');
  const dateOfBirth = parseJpkiDateOfBirth(dateOfBirthRaw);
  if (!dateOfBirth) throw new JpkiError('jpki_missing_attributes', 'date of birth is not EYYYYMMDD');
  const flags = (key: 'nameSubstitute' | 'addressSubstitute', text: string): { value?: string; has: boolean } => {
    const oid = JPKI_ATTRIBUTE[key];
    const value = optional(key);
    if (unreadable.has(oid)) {
      values.delete(oid);
      return { has: true };
    }
    if (value === undefined) return { has: false };
    if (!fitsFlags(text, value)) return { has: true };
    return { value, has: value.includes('1') };
  };
  const nameFlags = flags('nameSubstitute', name);
  const addressFlags = flags('addressSubstitute', address);
  return {
    name,
    ...(nameFlags.value !== undefined && { nameSubstitute: nameFlags.value }),
    nameHasSubstitutes: nameFlags.has,
    gender,
    dateOfBirth,
    dateOfBirthRaw,
    address,
    ...(addressFlags.value !== undefined && { addressSubstitute: addressFlags.value }),
    addressHasSubstitutes: addressFlags.has,
  };
}

function decodeOrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return decodeUtf8(bytes);
  } catch {
    return undefined;
  }
}
