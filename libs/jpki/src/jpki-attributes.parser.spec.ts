import { parseJpkiDateOfBirth, readBasicAttributes, substituteCharacterPositions } from './jpki-attributes.parser';
import { JpkiError } from './jpki.error';

describe('JPKI basic attributes', () => {
  describe(parseJpkiDateOfBirth.name, () => {
    it.each([
      ['319800401', '1980-04-01'], // 昭和
      ['420000229', '2000-02-29'], // 平成, leap day
      ['520190501', '2019-05-01'], // 令和
      ['119120729', '1912-07-29'], // 明治
    ])('reads the era digit and Gregorian date of %s as %s', (raw, iso) => {
      expect(parseJpkiDateOfBirth(raw)).toBe(iso);
    });

    it.each(['19800401', '3198004011', '319801301', '319800431', '420010229', 'x19800401', '3-1980-04', '', '317000101'])(
      'refuses %p',
      (raw) => {
        expect(parseJpkiDateOfBirth(raw)).toBeUndefined();
      },
    );
  });

  describe(readBasicAttributes.name, () => {
    const utf8 = (s: string) => Buffer.from(s, 'utf8');
    const tlv = (tag: number, ...parts: Buffer[]) => {
      const body = Buffer.concat(parts);
      const length = body.length < 128 ? [body.length] : [0x81, body.length]; // test values stay < 256
      return Buffer.concat([Buffer.from([tag, ...length]), body]);
    };
    const oid = (last: number) => Buffer.from([0x06, 0x0a, 0x2a, 0x83, 0x08, 0x8c, 0x9b, 0x55, 0x08, 0x05, 0x05, last]);
    const other = (last: number, value: Buffer, tag = 0x0c) => tlv(0xa0, oid(last), tlv(0xa0, tlv(tag, value)));
    const san = (...names: Buffer[]) => tlv(0x30, ...names);
    const complete = [other(1, utf8('鳥取　太郎')), other(3, utf8('1')), other(4, utf8('319800401')), other(5, utf8('鳥取県'))];

    it('reads the four attributes and ignores other name forms', () => {
      const dns = tlv(0x82, utf8('example.invalid'));

      expect(readBasicAttributes(san(dns, ...complete))).toEqual({
        name: '鳥取　太郎', gender: '1', dateOfBirth: '1980-04-01', dateOfBirthRaw: '319800401', address: '鳥取県',
        nameHasSubstitutes: false, addressHasSubstitutes: false,
      });
    });

    it('reads the substitute-character flags as one 0/1 per character, not as a second name', () => {
      const attributes = readBasicAttributes(san(...complete, other(2, utf8('00100')), other(6, utf8('000'))));

      expect(attributes).toMatchObject({ nameSubstitute: '00100', nameHasSubstitutes: true, addressSubstitute: '000', addressHasSubstitutes: false });
      expect(substituteCharacterPositions(attributes.name, attributes.nameSubstitute)).toEqual([2]);
      expect(substituteCharacterPositions(attributes.address, attributes.addressSubstitute)).toEqual([]);
    });

    it('accepts the flags as PrintableString or IA5String', () => {
      const attributes = readBasicAttributes(san(...complete, other(2, utf8('00001'), 0x13), other(6, utf8('100'), 0x16)));

      expect(attributes).toMatchObject({ nameSubstitute: '00001', addressSubstitute: '100', addressHasSubstitutes: true });
    });

    it.each([
      ['not 0/1', utf8('高橋　一郎')],
      ['shorter than the name', utf8('0000')],
      ['longer than the name', utf8('000000')],
    ])('does not refuse malformed flags (%s) but reports the name as possibly substituted', (_label, flags) => {
      const attributes = readBasicAttributes(san(...complete, other(2, flags)));

      expect(attributes).not.toHaveProperty('nameSubstitute');
      expect(attributes.nameHasSubstitutes).toBe(true);
      expect(attributes.name).toBe('鳥取　太郎');
    });

    it('skips an unknown future attribute under the arc, whatever its string type', () => {
      const future = [other(7, Buffer.from([0x00, 0x41]), 0x1e), other(99, utf8('x'), 0x13), other(8, Buffer.from([0x01, 0x02]), 0x04)];

      expect(readBasicAttributes(san(...complete, ...future))).toMatchObject({ name: '鳥取　太郎', address: '鳥取県' });
    });

    it.each([
      ['no subjectAltName', undefined],
      ['a missing address', san(...complete.slice(0, 3))],
      ['an empty name', san(other(1, utf8(' ')), ...complete.slice(1))],
      ['a duplicated attribute', san(...complete, other(1, utf8('別人')))],
      ['a value that is not a UTF8String', san(other(1, utf8('x'), 0x13), ...complete.slice(1))],
      ['invalid UTF-8', san(other(1, Buffer.from([0xff, 0xfe])), ...complete.slice(1))],
      ['an impossible date of birth', san(...complete.slice(0, 2), other(4, utf8('319800230')), complete[3])],
      ['undecodable DER', Buffer.from([0x30, 0x05, 0xa0])],
    ])('refuses %s with jpki_missing_attributes', (_label, value) => {
      let error: unknown;
      try {
        readBasicAttributes(value);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(JpkiError);
      expect((error as JpkiError).code).toBe('jpki_missing_attributes');
    });
  });
});
