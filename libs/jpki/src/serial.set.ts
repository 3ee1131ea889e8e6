/**
 * A compact, immutable set of certificate serial numbers (normalised byte strings), built once
 * per CRL load. A JS Set of one million hex strings costs ~75 MB of GC-managed heap, and every
 * major GC then has to mark a million objects, which showed up as multi-millisecond pauses in
 * the benchmark's p99. Here the serials live in a handful of typed arrays (≈30 MB for one
 * million 16-octet serials, outside the object graph) behind an open-addressing hash table.
 */
export class SerialSet {
  private constructor(
    private readonly data: Uint8Array,
    private readonly offsets: Uint32Array,
    private readonly lengths: Uint16Array,
    /** Entry index + 1 per slot, 0 = empty; size is a power of two, at most half full. */
    private readonly table: Int32Array,
    readonly size: number,
    /** Per entry: revocation time in seconds since 1970 (0 = not recorded). */
    private readonly times: Uint32Array = new Uint32Array(0),
    /** Per entry: CRLReason code, NO_REASON when the entry has none. */
    private readonly reasons: Uint8Array = new Uint8Array(0),
  ) {}

  /** Bytes held by the set's typed arrays (serial bytes, offsets, lengths, hash table, dates, reasons). */
  get byteLength(): number {
    return this.data.byteLength + this.offsets.byteLength + this.lengths.byteLength + this.table.byteLength +
      this.times.byteLength + this.reasons.byteLength;
  }

  /** Whether the serial `bytes[start, end)` (already normalised) is in the set. */
  has(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
    return this.indexOf(bytes, start, end) >= 0;
  }

  /** Entry index of the serial, or -1. */
  indexOf(bytes: Uint8Array, start = 0, end = bytes.length): number {
    const mask = this.table.length - 1;
    let slot = hash(bytes, start, end) & mask;
    for (;;) {
      const entry = this.table[slot];
      if (entry === 0) return -1;
      if (this.equals(entry - 1, bytes, start, end)) return entry - 1;
      slot = (slot + 1) & mask;
    }
  }

  /** Revocation time (seconds since 1970) of entry `index`, 0 when not recorded. */
  timeOf(index: number): number {
    return this.times[index] ?? 0;
  }

  /** CRLReason code of entry `index`, or undefined when the entry carries none. */
  reasonOf(index: number): number | undefined {
    const r = this.reasons[index];
    return r === undefined || r === NO_REASON ? undefined : r;
  }

  private equals(index: number, bytes: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    if (this.lengths[index] !== length) return false;
    const offset = this.offsets[index];
    for (let i = 0; i < length; i++) if (this.data[offset + i] !== bytes[start + i]) return false;
    return true;
  }

  /** Builds the set from the entries collected by a builder. */
  static from(builder: SerialSetBuilder): SerialSet {
    const { data, offsets, lengths, count, times, reasons } = builder.contents();
    let capacity = 16;
    while (capacity < count * 2) capacity *= 2;
    const table = new Int32Array(capacity);
    const mask = capacity - 1;
    const set = new SerialSet(data, offsets, lengths, table, 0);
    let size = 0;
    for (let index = 0; index < count; index++) {
      const start = offsets[index];
      const end = start + lengths[index];
      let slot = hash(data, start, end) & mask;
      let duplicate = false;
      for (;;) {
        const entry = table[slot];
        if (entry === 0) break;
        if (set.equals(entry - 1, data, start, end)) {
          duplicate = true;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (!duplicate) {
        table[slot] = index + 1;
        size++;
      }
    }
    return new SerialSet(data, offsets, lengths, table, size, times, reasons);
  }
}

/** Stored for an entry without a reasonCode extension. */
export const NO_REASON = 0xff;

/** Collects serials while the CRL is walked; growth by doubling, one copy per serial. */
export class SerialSetBuilder {
  private data = new Uint8Array(64 * 1024);
  private offsets = new Uint32Array(4096);
  private lengths = new Uint16Array(4096);
  private times = new Uint32Array(4096);
  private reasons = new Uint8Array(4096);
  private used = 0;
  private count = 0;

  /** Adds a serial; `timeSeconds` and `reason` (CRLReason) are kept beside it when given. */
  add(bytes: Uint8Array, start: number, end: number, timeSeconds = 0, reason = NO_REASON): void {
    const length = end - start;
    if (length > 0xffff) throw new RangeError('serial number too long');
    if (this.used + length > this.data.length) {
      const grown = new Uint8Array(Math.max(this.data.length * 2, this.used + length));
      grown.set(this.data.subarray(0, this.used));
      this.data = grown;
    }
    if (this.count === this.offsets.length) {
      const offsets = new Uint32Array(this.count * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
      const lengths = new Uint16Array(this.count * 2);
      lengths.set(this.lengths);
      this.lengths = lengths;
      const times = new Uint32Array(this.count * 2);
      times.set(this.times);
      this.times = times;
      const reasons = new Uint8Array(this.count * 2);
      reasons.set(this.reasons);
      this.reasons = reasons;
    }
    const data = this.data;
    for (let i = 0, o = this.used; i < length; i++) data[o + i] = bytes[start + i];
    this.offsets[this.count] = this.used;
    this.lengths[this.count] = length;
    this.times[this.count] = timeSeconds;
    this.reasons[this.count] = reason;
    this.used += length;
    this.count++;
  }

  /** @internal trimmed copies of what was collected */
  contents(): { data: Uint8Array; offsets: Uint32Array; lengths: Uint16Array; count: number; times: Uint32Array; reasons: Uint8Array } {
    return {
      data: this.data.slice(0, this.used),
      offsets: this.offsets.slice(0, this.count),
      lengths: this.lengths.slice(0, this.count),
      count: this.count,
      times: this.times.slice(0, this.count),
      reasons: this.reasons.slice(0, this.count),
    };
  }
}

/** FNV-1a, 32 bit. Serials are CA-chosen random numbers, so a simple hash spreads them well. */
function hash(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
