// The live dot of a channel's connection, with its words for screen readers and tooltips.

import type { ConnectionText } from '../format/connection-text.ts';

export function ConnectionDot({ text }: { text: ConnectionText }) {
  const title = text.detail ? `${text.label}: ${text.detail}` : text.label;
  return <span className={`dot dot-${text.tone}`} role="img" aria-label={title} title={title} />;
}
