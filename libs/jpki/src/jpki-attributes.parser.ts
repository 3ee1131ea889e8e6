import * as nodeBuffer from 'node:buffer';
import { contextTag, DerError, readOid, readTlv, readWhole, TAG } from './der.reader';
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
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  // Short ASCII values (gender, date of birth, flags) are cheaper built directly than through a Buffer.
  if (ascii && bytes.length <= 32) {
    let text = '';
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return text;
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
  // Character codes rather than a regular expression: this runs on every identity proof.
  if (raw.length !== 9) return undefined;
  for (let i = 0; i < 9; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const year = Number(raw.slice(1, 5));
  const month = Number(raw.slice(5, 7));
  const day = Number(raw.slice(7, 9));
  if (year < 1800 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > daysInGregorianMonth(year, month)) return undefined;
  return `${raw.slice(1, 5)}-${raw.slice(5, 7)}-${raw.slice(7, 9)}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysInGregorianMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

const PRINTABLE_STRING = 0x13;
const IA5_STRING = 0x16;

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
  // One slot per known attribute (index = position in ATTRIBUTE_SLOTS): plain locals instead of
  // Maps, Sets and closures, because this runs on every identity proof.
  const values: (string | undefined)[] = [undefined, undefined, undefined, undefined, undefined, undefined];
  let unreadableFlags = 0; // bit per flag slot whose value could not be read (or appeared twice)
  try {
    const names = readWhole(subjectAltName, TAG.SEQUENCE, 'GeneralNames');
    let pos = names.contentStart;
    while (pos < names.end) {
      const gn = readTlv(subjectAltName, pos, names.end);
      pos = gn.end;
      if (gn.tag !== OTHER_NAME) continue;
      // otherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY }, implicitly tagged [0].
      if (gn.contentStart >= gn.end) throw new DerError('otherName');
      const typeId = readTlv(subjectAltName, gn.contentStart, gn.end);
      if (typeId.end >= gn.end) throw new DerError('otherName');
      const wrapper = readTlv(subjectAltName, typeId.end, gn.end);
      if (wrapper.end !== gn.end || wrapper.tag !== OTHER_NAME_VALUE) throw new DerError('otherName');
      const oid = readOid(subjectAltName, typeId);
      if (!oid.startsWith(ATTRIBUTE_PREFIX)) continue;
      if (wrapper.contentStart >= wrapper.end) throw new DerError('otherName value');
      const inner = readTlv(subjectAltName, wrapper.contentStart, wrapper.end);
      if (inner.end !== wrapper.end) throw new DerError('otherName value');
      const slot = ATTRIBUTE_SLOTS.indexOf(oid);
      if (slot < 0) continue; // a future attribute: not ours to judge
      const tag = inner.tag;
      const bytes = subjectAltName.subarray(inner.contentStart, inner.end);
      if (slot === SLOT_NAME_SUBSTITUTE || slot === SLOT_ADDRESS_SUBSTITUTE) {
        const text = tag === TAG.UTF8_STRING || tag === PRINTABLE_STRING || tag === IA5_STRING ? decodeOrUndefined(bytes) : undefined;
        const bit = 1 << slot;
        if (text === undefined || values[slot] !== undefined || (unreadableFlags & bit) !== 0) {
          unreadableFlags |= bit;
          values[slot] = undefined;
        } else {
          values[slot] = text;
        }
        continue;
      }
      if (tag !== TAG.UTF8_STRING) throw new DerError(`attribute ${oid} is not a UTF8String`);
      if (values[slot] !== undefined) throw new DerError(`attribute ${oid} appears twice`);
      values[slot] = decodeUtf8(bytes);
    }
  } catch (error) {
    if (error instanceof JpkiError) throw error;
    const detail = error instanceof DerError ? error.message : 'undecodable attribute';
    throw new JpkiError('jpki_missing_attributes', detail, { cause: error });
  }

  const name = requiredValue(values[SLOT_NAME], 'name');
  const gender = requiredValue(values[SLOT_GENDER], 'gender');
  const dateOfBirthRaw = requiredValue(values[SLOT_DATE_OF_BIRTH], 'dateOfBirth');
  const address = requiredValue(values[SLOT_ADDRESS], 'address');
  const dateOfBirth = parseJpkiDateOfBirth(dateOfBirthRaw);
  if (!dateOfBirth) throw new JpkiError('jpki_missing_attributes', 'date of birth is not EYYYYMMDD');
  const nameFlags = readableFlags(values[SLOT_NAME_SUBSTITUTE], (unreadableFlags & (1 << SLOT_NAME_SUBSTITUTE)) !== 0, name);
  const addressFlags = readableFlags(values[SLOT_ADDRESS_SUBSTITUTE], (unreadableFlags & (1 << SLOT_ADDRESS_SUBSTITUTE)) !== 0, address);
  // Property order as documented: each substitute string right before its flag.
  const attributes: { -readonly [K in keyof JpkiBasicAttributes]: JpkiBasicAttributes[K] } = { name } as JpkiBasicAttributes;
  if (nameFlags !== undefined) attributes.nameSubstitute = nameFlags;
  attributes.nameHasSubstitutes = hasSubstitutes(nameFlags, values[SLOT_NAME_SUBSTITUTE], (unreadableFlags & (1 << SLOT_NAME_SUBSTITUTE)) !== 0);
  attributes.gender = gender;
  attributes.dateOfBirth = dateOfBirth;
  attributes.dateOfBirthRaw = dateOfBirthRaw;
  attributes.address = address;
  if (addressFlags !== undefined) attributes.addressSubstitute = addressFlags;
  attributes.addressHasSubstitutes = hasSubstitutes(addressFlags, values[SLOT_ADDRESS_SUBSTITUTE], (unreadableFlags & (1 << SLOT_ADDRESS_SUBSTITUTE)) !== 0);
  return attributes;
}

/** Known attribute OIDs; the index is the slot of readBasicAttributes. */
const ATTRIBUTE_SLOTS: readonly string[] = [
  JPKI_ATTRIBUTE.name, JPKI_ATTRIBUTE.nameSubstitute, JPKI_ATTRIBUTE.gender,
  JPKI_ATTRIBUTE.dateOfBirth, JPKI_ATTRIBUTE.address, JPKI_ATTRIBUTE.addressSubstitute,
];
const SLOT_NAME = ATTRIBUTE_SLOTS.indexOf(JPKI_ATTRIBUTE.name);
const SLOT_NAME_SUBSTITUTE = ATTRIBUTE_SLOTS.indexOf(JPKI_ATTRIBUTE.nameSubstitute);
const SLOT_GENDER = ATTRIBUTE_SLOTS.indexOf(JPKI_ATTRIBUTE.gender);
const SLOT_DATE_OF_BIRTH = ATTRIBUTE_SLOTS.indexOf(JPKI_ATTRIBUTE.dateOfBirth);
const SLOT_ADDRESS = ATTRIBUTE_SLOTS.indexOf(JPKI_ATTRIBUTE.address);
const SLOT_ADDRESS_SUBSTITUTE = ATTRIBUTE_SLOTS.indexOf(JPKI_ATTRIBUTE.addressSubstitute);
const ATTRIBUTE_PREFIX = JPKI_ATTRIBUTE_ARC + '.';
const OTHER_NAME_VALUE = contextTag(0);

function requiredValue(value: string | undefined, key: string): string {
  if (value === undefined || value.trim() === '') throw new JpkiError('jpki_missing_attributes', `no ${key}`);
  return value;
}

/** The flag string when it is present, non-empty, readable and fits the text; otherwise undefined. */
function readableFlags(value: string | undefined, unreadable: boolean, text: string): string | undefined {
  if (unreadable || value === undefined || value === '') return undefined;
  return fitsFlags(text, value) ? value : undefined;
}

/**
 * Whether substitutes may be in use: a `1` in well-formed flags; true when flags are present but
 * unreadable or do not fit the text (the positions are unknown); false when there are none.
 */
function hasSubstitutes(flags: string | undefined, value: string | undefined, unreadable: boolean): boolean {
  if (unreadable) return true;
  if (value === undefined || value === '') return false;
  return flags === undefined ? true : flags.includes('1');
}

function decodeOrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return decodeUtf8(bytes);
  } catch {
    return undefined;
  }
}
