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
  /**
   * The current event's bytes, while they are one stretch of the chunk being fed: offsets,
   * not a view (-1 when not). Most events arrive whole in one chunk; they cost no object.
   */
  #pieceFrom = -1;
  #pieceTo = 0;
  /** Whole events next to each other in the chunk being fed, not yet handed out (-1: none). */
  #runFrom = -1;
  #runTo = 0;
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
    this.#handOutRun(bytes, out);
    if (this.#pieceFrom !== -1) {
      this.#held.push(bytes.subarray(this.#pieceFrom, this.#pieceTo));
      this.#pieceFrom = -1;
    }
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
        this.#endEvent(bytes, out);
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
        this.#endEvent(bytes, out);
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
      this.#pieceFrom = -1;
      return;
    }
    this.#heldBytes += n;
    if (this.#held.length === 0 && this.#pieceFrom === -1) {
      this.#pieceFrom = from;
      this.#pieceTo = to;
      return;
    }
    // A second piece (a comment cut the event, or it began in an earlier chunk): views for
    // now; feed() copies what is still held when it returns.
    if (this.#pieceFrom !== -1) {
      this.#held.push(bytes.subarray(this.#pieceFrom, this.#pieceTo));
      this.#pieceFrom = -1;
    }
    this.#held.push(bytes.subarray(from, to));
  }

  /** Hands out the run of whole events not yet handed out, as one view of the chunk. */
  #handOutRun(bytes: Uint8Array, out: Uint8Array[]): void {
    if (this.#runFrom === -1) return;
    out.push(bytes.subarray(this.#runFrom, this.#runTo));
    this.#runFrom = -1;
  }

  #endEvent(bytes: Uint8Array, out: Uint8Array[]): void {
    if (this.#skippedBytes !== undefined) {
      const skipped = this.#skippedBytes;
      this.#skippedBytes = undefined;
      this.#onSkipped({ bytes: skipped });
      return;
    }
    if (this.#pieceFrom !== -1) {
      // Events next to each other in one chunk go out as one view of it.
      if (this.#runFrom === -1 || this.#runTo !== this.#pieceFrom) {
        this.#handOutRun(bytes, out);
        this.#runFrom = this.#pieceFrom;
      }
      this.#runTo = this.#pieceTo;
      this.#pieceFrom = -1;
    } else if (this.#held.length > 0) {
      this.#handOutRun(bytes, out);
      out.push(this.#held.length === 1 ? (this.#held[0] as Uint8Array) : Buffer.concat(this.#held));
      this.#held = [];
    }
    this.#heldBytes = 0;
    this.#fresh = 0;
  }
}
