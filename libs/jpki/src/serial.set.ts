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
  ) {}

  /** Bytes held by the set's typed arrays (serial bytes, offsets, lengths, hash table). */
  get byteLength(): number {
    return this.data.byteLength + this.offsets.byteLength + this.lengths.byteLength + this.table.byteLength;
  }

  /** Whether the serial `bytes[start, end)` (already normalised) is in the set. */
  has(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
    const mask = this.table.length - 1;
    let slot = hash(bytes, start, end) & mask;
    for (;;) {
      const entry = this.table[slot];
      if (entry === 0) return false;
      if (this.equals(entry - 1, bytes, start, end)) return true;
      slot = (slot + 1) & mask;
    }
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
    const { data, offsets, lengths, count } = builder.contents();
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
    return new SerialSet(data, offsets, lengths, table, size);
  }
}

/** Collects serials while the CRL is walked; growth by doubling, one copy per serial. */
export class SerialSetBuilder {
  private data = new Uint8Array(64 * 1024);
  private offsets = new Uint32Array(4096);
  private lengths = new Uint16Array(4096);
  private used = 0;
  private count = 0;

  add(bytes: Uint8Array, start: number, end: number): void {
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
    }
    const data = this.data;
    for (let i = 0, o = this.used; i < length; i++) data[o + i] = bytes[start + i];
    this.offsets[this.count] = this.used;
    this.lengths[this.count] = length;
    this.used += length;
    this.count++;
  }

  /** @internal trimmed copies of what was collected */
  contents(): { data: Uint8Array; offsets: Uint32Array; lengths: Uint16Array; count: number } {
    return {
      data: this.data.slice(0, this.used),
      offsets: this.offsets.slice(0, this.count),
      lengths: this.lengths.slice(0, this.count),
      count: this.count,
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
