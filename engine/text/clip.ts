// Shortening text for display: one rule for event wording, notifications, the tray, the doctor
// and the log. Cuts on a code-point boundary (never half of a surrogate pair) and marks the cut
// with an ellipsis, the whole staying within `max` code points.

export function clipText(text: string, max: number): string {
  // At most `max` UTF-16 units is at most `max` code points.
  if (text.length <= max) return text;
  // 2 × max units hold at least `max` code points, so a huge text is never split whole.
  const chars = Array.from(text.slice(0, 2 * max));
  if (chars.length <= max && text.length <= 2 * max) return text;
  return `${chars.slice(0, max - 1).join('')}…`;
}

/** Whitespace runs (newlines too) as one space, trimmed, then clipped: for one-line summaries. */
export function clipLine(text: string, max: number): string {
  return clipText(text.replace(/\s+/g, ' ').trim(), max);
}
