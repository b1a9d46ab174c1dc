/** mulberry32: a small seeded PRNG, so the same data always gives the same profile. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A uniform random sample of at most `capacity` values from a stream of unknown length, by Li's
 * Algorithm L: it draws random numbers only for the values it keeps (about k·ln(N/k) of them), not for
 * every value offered, which matters at a million rows per feature.
 */
export class Reservoir {
  private readonly values: Float64Array;
  private size = 0;
  private seen = 0;
  private w = 0;
  private nextIndex = 0;
  private readonly random: () => number;

  constructor(
    readonly capacity: number,
    seed = 1,
  ) {
    this.values = new Float64Array(capacity);
    this.random = seededRandom(seed);
  }

  /** 1 − U in (0, 1], so its logarithm is finite. */
  private uniform(): number {
    return 1 - this.random();
  }

  private scheduleNext(): void {
    this.nextIndex += Math.floor(Math.log(this.uniform()) / Math.log(1 - this.w)) + 1;
  }

  offer(value: number): void {
    const index = this.seen++;
    if (this.size < this.capacity) {
      this.values[this.size++] = value;
      if (this.size === this.capacity) {
        this.w = Math.exp(Math.log(this.uniform()) / this.capacity);
        this.nextIndex = index;
        this.scheduleNext();
      }
      return;
    }
    if (index !== this.nextIndex) return;
    this.values[Math.floor(this.random() * this.capacity)] = value;
    this.w *= Math.exp(Math.log(this.uniform()) / this.capacity);
    this.scheduleNext();
  }

  offerAll(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.offer(values[i]!);
  }

  /** The sample so far, ascending. */
  sorted(): Float64Array {
    return this.values.slice(0, this.size).sort();
  }
}
