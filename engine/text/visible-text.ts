// Text from the wire shown where control characters act: a terminal (`watch` without
// --json), an OS notification, a tray tooltip. One rule for all of them: every C0/C1 control
// (ESC starts ANSI/OSC sequences, BEL rings, CR/LF forge lines), DEL, and the bidi and
// invisible formatting characters (U+202E flips a line) are shown as a visible escape
// (`\x1b`, `\u202e`, `\n`), so they can be seen and can do nothing. Lone surrogates too.

const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control, bidi and invisible formatting character shown as an escape. */
export function visibleText(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}
