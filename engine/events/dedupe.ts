// Remembers which events were already seen, so replays (a server resending its last N on
// every connect, the overlap while a stale connection is replaced) and overlapping channels
// store and notify an event once. Bounded: the oldest keys are forgotten first.

export class SeenSet {
  readonly #keys = new Set<string>();
  readonly #capacity: number;
  /**
   * Keys in the order they were added, as a ring: `#next` is the oldest once the ring is full.
   * (Finding the oldest with `keys.values().next()` walks over every deleted slot V8 keeps at
   * the front of the Set: 11 µs per event once full.)
   */
  readonly #order: string[] = [];
  #next = 0;

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  /** Records the key; returns false when it had been seen already. */
  add(key: string): boolean {
    if (this.#keys.has(key)) return false;
    if (this.#capacity <= 0) return true;
    if (this.#order.length < this.#capacity) {
      this.#order.push(key);
    } else {
      this.#keys.delete(this.#order[this.#next] as string);
      this.#order[this.#next] = key;
      this.#next = (this.#next + 1) % this.#capacity;
    }
    this.#keys.add(key);
    return true;
  }

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  get size(): number {
    return this.#keys.size;
  }
}
