// A disconnection in the list, where it happened: events sent meanwhile never arrived
// (the server keeps nothing), and the person should know rather than trust a complete list.
// Proxy cuts and replaced silent connections are shown the same way, a run of them as one row.

import type { GapDto } from '../../../contract/dto.ts';
import { gapText } from '../format/time-text.ts';
import { Icon } from './Icon.tsx';

export function GapRow({ gap, channelLabel }: { gap: GapDto; channelLabel?: string }) {
  const open = gap.to === undefined;
  return (
    <div className={`gap-row gap-${gap.kind}${open ? ' gap-open' : ''}`} title={gap.reason}>
      <Icon name="unplugged" />
      <span className="gap-text">
        <span className="gap-title">
          {gapText(gap)}
          {channelLabel ? ` on ${channelLabel}` : ''}
        </span>
        {gap.reason && <span className="gap-reason">{gap.reason}</span>}
      </span>
    </div>
  );
}
