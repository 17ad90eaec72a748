// Bounds what one SSE event may cost before the `eventsource` parser sees it. The parser's
// own `maxBufferSize` ends the connection when a line grows past it, and it does not bound an
// event made of many `data:` lines at all (718 MB RSS was observed). This guard sits in the
// byte tap: it holds each event's bytes until the blank line that ends it and passes the
// whole event on, or — once the event is larger than the limit — drops it, skips to the
// blank line that ends it, and reports its size, so the same connection keeps delivering.
// Comment lines (`:` heartbeats) are dropped here: the parser ignores them anyway, and an
// endless comment stream without a blank line must not count as one huge event.

const LF = 10;
const CR = 13;
const COLON = 58;

export interface SkippedEvent {
  /** Bytes of the event that were dropped (at least the limit). */
  readonly bytes: number;
}

export class EventSizeGuard {
  readonly #limit: number;
  readonly #onSkipped: (skipped: SkippedEvent) => void;
  /** Slices of the current event, held until it ends. */
  #held: Uint8Array[] = [];
  #heldBytes = 0;
  /** `#held[#fresh…]` are views of the chunk being fed, not yet copies. */
  #fresh = 0;
  /** Set while the current event is over the limit: its bytes are counted, not kept. */
  #skippedBytes: number | undefined;
  #atLineStart = true;
  #inComment = false;
  #lineIsEmpty = true;
  #afterCr = false;
  #dropLf = false;

  constructor(limit: number, onSkipped: (skipped: SkippedEvent) => void) {
    this.#limit = limit;
    this.#onSkipped = onSkipped;
  }

  /** Bytes held for the event in progress (at most the limit). */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /**
   * Feeds raw bytes; returns the complete events ready for the parser (maybe none). What it
   * returns may be views of `bytes`: consume them before the next call.
   */
  feed(bytes: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    // Lines ending in LF alone (what Daphne, gunicorn and nginx send) are found with the
    // native indexOf, one call per line; CR line ends take the byte-by-byte path.
    if (!this.#afterCr && bytes.indexOf(CR) === -1) this.#feedLf(bytes, out);
    else this.#feedBytes(bytes, out);
    // What stays held past this call must not pin `bytes`: copy the views taken from it.
    for (let j = this.#fresh; j < this.#held.length; j += 1)
      this.#held[j] = new Uint8Array(this.#held[j] as Uint8Array);
    this.#fresh = this.#held.length;
    return out;
  }

  /** `bytes` holds no CR and the previous chunk did not end in one. */
  #feedLf(bytes: Uint8Array, out: Uint8Array[]): void {
    const n = bytes.length;
    let keepFrom = 0;
    let i = 0;
    while (i < n) {
      if (this.#atLineStart) {
        const c = bytes[i] as number;
        this.#atLineStart = false;
        this.#lineIsEmpty = c === LF;
        if (c === COLON) {
          this.#keep(bytes, keepFrom, i);
          this.#inComment = true;
        }
      }
      const end = bytes.indexOf(LF, i);
      if (end === -1) break;
      this.#atLineStart = true;
      i = end + 1;
      if (this.#inComment) {
        this.#inComment = false;
        keepFrom = i;
      } else if (this.#lineIsEmpty) {
        this.#keep(bytes, keepFrom, i);
        keepFrom = i;
        this.#endEvent(out);
      }
    }
    this.#dropLf = false;
    if (!this.#inComment) this.#keep(bytes, keepFrom, n);
  }

  #feedBytes(bytes: Uint8Array, out: Uint8Array[]): void {
    let keepFrom = 0;
    for (let i = 0; i < bytes.length; i += 1) {
      const c = bytes[i] as number;
      if (c === LF && this.#afterCr) {
        // The LF of a CRLF: the line already ended at the CR. After a comment or an event's
        // end it is dropped: alone, the parser would read it as a blank line.
        this.#afterCr = false;
        if (this.#dropLf) keepFrom = i + 1;
        this.#dropLf = false;
        continue;
      }
      this.#dropLf = false;
      this.#afterCr = c === CR;
      if (this.#atLineStart) {
        this.#atLineStart = false;
        this.#lineIsEmpty = c === CR || c === LF;
        if (c === COLON) {
          this.#keep(bytes, keepFrom, i);
          this.#inComment = true;
        }
      }
      if (c !== CR && c !== LF) continue;
      this.#atLineStart = true;
      if (this.#inComment) {
        this.#inComment = false;
        keepFrom = i + 1;
        this.#dropLf = c === CR;
        continue;
      }
      if (this.#lineIsEmpty) {
        this.#keep(bytes, keepFrom, i + 1);
        keepFrom = i + 1;
        this.#dropLf = c === CR;
        this.#endEvent(out);
      }
    }
    if (!this.#inComment) this.#keep(bytes, keepFrom, bytes.length);
  }

  /** Holds bytes[from, to) for the current event, or counts them when it is over the limit. */
  #keep(bytes: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    if (this.#skippedBytes !== undefined) {
      this.#skippedBytes += n;
      return;
    }
    if (this.#heldBytes + n > this.#limit) {
      this.#skippedBytes = this.#heldBytes + n;
      this.#held = [];
      this.#heldBytes = 0;
      this.#fresh = 0;
      return;
    }
    // A view for now; feed() copies what is still held when it returns.
    this.#held.push(bytes.subarray(from, to));
    this.#heldBytes += n;
  }

  #endEvent(out: Uint8Array[]): void {
    if (this.#skippedBytes !== undefined) {
      const bytes = this.#skippedBytes;
      this.#skippedBytes = undefined;
      this.#onSkipped({ bytes });
      return;
    }
    const held = this.#held;
    if (held.length === 1) {
      const event = held[0] as Uint8Array;
      const last = out.at(-1);
      // Events next to each other in one chunk go out as one view of it.
      if (
        last !== undefined &&
        last.buffer === event.buffer &&
        last.byteOffset + last.byteLength === event.byteOffset
      )
        out[out.length - 1] = new Uint8Array(
          last.buffer,
          last.byteOffset,
          last.byteLength + event.byteLength,
        );
      else out.push(event);
    } else if (held.length > 1) out.push(Buffer.concat(held));
    this.#held = [];
    this.#heldBytes = 0;
    this.#fresh = 0;
  }
}
