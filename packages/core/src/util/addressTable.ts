// A hash table of WASM addresses: u32 keys (never 0, which marks an empty slot) to u32 values, in
// two typed arrays probed linearly. Compaction keeps one entry per block it copies (its index in
// the plan) — 300,000 for a store of 100,000 columns — where a Map<number, number> cost more in
// inserts and GC than the copy itself.

/** Old address → new, as compaction hands it to what holds addresses (engine, nodes). */
export interface AddressLookup {
  /** The value stored for `address`, or undefined. */
  get(address: number): number | undefined;
}

export class AddressTable implements AddressLookup {
  private keys: Uint32Array;
  private values: Uint32Array;
  private mask: number;
  /** 32 − log2(slots): a hash's top bits pick the slot. */
  private shift: number;
  private count = 0;

  /** Room for `expected` entries before the first growth. */
  constructor(expected = 16) {
    let slots = 16;
    while (slots < expected * 2) slots *= 2;
    this.keys = new Uint32Array(slots);
    this.values = new Uint32Array(slots);
    this.mask = slots - 1;
    this.shift = 32 - Math.log2(slots);
  }

  get size(): number {
    return this.count;
  }

  /** The slot of `address`: where it is, or the empty slot where it would go. */
  private slot(address: number): number {
    // Fibonacci hashing: the product's top bits, which every bit of the address moves (its low
    // bits alone cluster addresses laid out at a fixed stride, as a store's blocks are).
    let slot = Math.imul(address, 0x9e3779b1) >>> this.shift;
    for (;;) {
      slot &= this.mask;
      const key = this.keys[slot];
      if (key === address || key === 0) return slot;
      slot++;
    }
  }

  get(address: number): number | undefined {
    const slot = this.slot(address);
    return this.keys[slot] === address ? this.values[slot] : undefined;
  }

  /** Stores `value` for `address` (not 0). */
  set(address: number, value: number): void {
    let slot = this.slot(address);
    if (this.keys[slot] !== address) {
      if ((this.count + 1) * 2 > this.keys.length) {
        this.grow();
        slot = this.slot(address);
      }
      this.keys[slot] = address;
      this.count++;
    }
    this.values[slot] = value;
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.values = new Uint32Array(keys.length * 2);
    this.mask = this.keys.length - 1;
    this.shift--;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === 0) continue;
      const slot = this.slot(keys[i]);
      this.keys[slot] = keys[i];
      this.values[slot] = values[i];
    }
  }
}
