import { randomBytes } from 'node:crypto';
import { SerialSet, SerialSetBuilder } from './serial.set';

describe(SerialSet.name, () => {
  it('finds every added serial and nothing else, across buffer growth', () => {
    const builder = new SerialSetBuilder();
    const added: Buffer[] = [];
    for (let i = 0; i < 20_000; i++) {
      const serial = randomBytes(1 + (i % 20));
      added.push(serial);
      const padded = Buffer.concat([Buffer.from([9, 9]), serial, Buffer.from([9])]);
      builder.add(padded, 2, 2 + serial.length);
    }

    const set = SerialSet.from(builder);

    expect(set.size).toBe(new Set(added.map((b) => b.toString('hex'))).size);
    for (const serial of added) expect(set.has(serial)).toBe(true);
    for (let i = 0; i < 1_000; i++) expect(set.has(randomBytes(21))).toBe(false);
  });

  it('counts duplicates once and tells prefixes apart', () => {
    const builder = new SerialSetBuilder();
    const a = Buffer.from('0102', 'hex');
    builder.add(a, 0, 2);
    builder.add(a, 0, 2);
    builder.add(a, 0, 1);

    const set = SerialSet.from(builder);

    expect(set.size).toBe(2);
    expect(set.has(Buffer.from('01', 'hex'))).toBe(true);
    expect(set.has(Buffer.from('0102', 'hex'))).toBe(true);
    expect(set.has(Buffer.from('010203', 'hex'))).toBe(false);
  });

  it('is empty when nothing was added', () => {
    expect(SerialSet.from(new SerialSetBuilder()).has(Buffer.from([1]))).toBe(false);
  });
});
