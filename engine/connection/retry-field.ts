// The `eventsource` package honours `retry:` for its own reconnects but does not expose the
// value, and the engine owns reconnecting. This scanner watches the raw bytes for `retry:`
// lines only, with bounded memory whatever the stream sends, and decodes nothing unless a
// chunk may hold such a line.

const FIELD = 'retry:';
const RETRY = Buffer.from('retry');

export class RetryFieldScanner {
  /** The start of a line that may still become `retry:…` (at most a few bytes). */
  #carry = '';
  #atLineStart = true;
  #value: number | undefined;

  /** How many characters of an unfinished line are kept: bounded whatever the stream sends. */
  get carried(): number {
    return this.#carry.length;
  }

  /** The last valid `retry:` value seen, in ms. */
  get value(): number | undefined {
    return this.#value;
  }

  feedBytes(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    const buffer = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.#carry === '' && buffer.indexOf(RETRY) === -1 && !this.#tailMayStartField(buffer)) {
      const last = buffer.at(-1);
      this.#atLineStart = last === 10 || last === 13;
      return;
    }
    // Field names and digits are ASCII; latin1 maps bytes 1:1 and cannot fail.
    this.feed(buffer.toString('latin1'));
  }

  feed(chunk: string): void {
    const text = this.#carry + chunk;
    let start = this.#carry !== '' || this.#atLineStart ? 0 : -1;
    this.#carry = '';
    for (let i = 0; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        if (start >= 0) this.#line(text.slice(start, i));
        start = i + 1;
      }
    }
    this.#atLineStart = start === text.length;
    if (start >= 0 && start < text.length) {
      const rest = text.slice(start);
      // Keep an unfinished line only while it can still be a retry line; its value is short.
      const mayBeField = rest.length < FIELD.length ? FIELD.startsWith(rest) : rest.startsWith(FIELD);
      if (mayBeField && rest.length <= 32) this.#carry = rest;
    }
  }

  #tailMayStartField(buffer: Buffer): boolean {
    // Only an unfinished line shorter than `retry:` can still become one: look at the last
    // few bytes for its start, not the whole chunk (lastIndexOf(13) scanned every byte).
    const n = buffer.length;
    let lastBreak = -1;
    for (let i = n - 1; i >= 0 && i >= n - FIELD.length; i -= 1) {
      const c = buffer[i];
      if (c === 10 || c === 13) {
        lastBreak = i;
        break;
      }
    }
    if (lastBreak === -1 && n >= FIELD.length) return false;
    const tail = buffer.subarray(lastBreak + 1);
    if (tail.length === 0 || tail.length >= FIELD.length) return false;
    if (lastBreak === -1 && !this.#atLineStart) return false;
    return FIELD.startsWith(tail.toString('latin1'));
  }

  #line(line: string): void {
    if (!line.startsWith(FIELD)) return;
    const value = line.slice(FIELD.length).replace(/^ /, '');
    if (/^[0-9]{1,9}$/.test(value)) this.#value = Number(value);
  }
}
