import { childrenOf, contextTag, DerError, readOid, readWhole, TAG } from './der.reader';
import { JpkiError } from './jpki.error';
import { JPKI_ATTRIBUTE, JPKI_ATTRIBUTE_ARC } from './jpki.oids';

/** The basic attributes (基本4情報) of a JPKI signature certificate. */
export interface JpkiBasicAttributes {
  /** 氏名 */
  readonly name: string;
  /** 氏名代替文字: present when the name needed substitute characters. */
  readonly nameSubstitute?: string;
  /** 性別: the code exactly as written in the certificate. */
  readonly gender: string;
  /** 生年月日 as an ISO date, `yyyy-mm-dd`. */
  readonly dateOfBirth: string;
  /** 生年月日 as written: `EYYYYMMDD` (era digit + Gregorian date). */
  readonly dateOfBirthRaw: string;
  /** 住所 */
  readonly address: string;
  /** 住所代替文字 */
  readonly addressSubstitute?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
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

/**
 * Reads the attributes from the subjectAltName extension value (GeneralNames): otherName
 * entries whose type-id lies under 1.2.392.200149.8.5.5, each an [0] EXPLICIT UTF8String.
 * Other GeneralName choices are ignored. Absent, empty, duplicated or undecodable required
 * attributes are refused with `jpki_missing_attributes`.
 */
export function readBasicAttributes(subjectAltName: Uint8Array | undefined): JpkiBasicAttributes {
  if (!subjectAltName) throw new JpkiError('jpki_missing_attributes', 'no subjectAltName');
  const values = new Map<string, string>();
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
      if (inner[0].tag !== TAG.UTF8_STRING) throw new DerError(`attribute ${oid} is not a UTF8String`);
      if (values.has(oid)) throw new DerError(`attribute ${oid} appears twice`);
      values.set(oid, utf8.decode(subjectAltName.subarray(inner[0].contentStart, inner[0].end)));
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
  const nameSubstitute = optional('nameSubstitute');
  const addressSubstitute = optional('addressSubstitute');
  return {
    name,
    ...(nameSubstitute !== undefined && { nameSubstitute }),
    gender,
    dateOfBirth,
    dateOfBirthRaw,
    address,
    ...(addressSubstitute !== undefined && { addressSubstitute }),
  };
}
