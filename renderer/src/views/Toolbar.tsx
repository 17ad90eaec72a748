// The header of the event list: which channel is shown, its connection state, and the
// actions on all of its events.

import { describeConnection } from '../format/connection-text.ts';
import { useNow } from '../hooks/use-now.ts';
import { totalUnread } from '../store/channel-groups.ts';
import { useApp } from '../store/store-context.ts';
import { ConnectionDot } from './ConnectionDot.tsx';
import { Icon } from './Icon.tsx';

export function Toolbar({ onMenu }: { onMenu: () => void }) {
  const scope = useApp((s) => s.scope);
  const channels = useApp((s) => s.channels);
  const markAllRead = useApp((s) => s.markAllRead);
  const channel = scope === null ? undefined : channels.find((c) => c.key === scope);
  const now = useNow(channel?.state.kind === 'reconnecting' ? 1_000 : 30_000);
  const unread = channel ? channel.unread : totalUnread(channels);
  const connection = channel ? describeConnection(channel.state, now) : undefined;

  return (
    <header className="toolbar">
      <button type="button" className="icon-button menu-button" aria-label="Show channels" onClick={onMenu}>
        <Icon name="menu" />
      </button>
      <div className="toolbar-title">
        <h1>{channel ? channel.channel : 'All channels'}</h1>
        <p className="toolbar-subtitle">
          {channel && connection ? (
            <>
              <ConnectionDot text={connection} />
              <span>{connection.label}</span>
              <span className="separator" aria-hidden="true">
                ·
              </span>
              <span className="toolbar-server">{channel.serverName}</span>
            </>
          ) : (
            <span>
              {channels.length === 1 ? '1 channel' : `${channels.length} channels`}
              {unread > 0 ? ` · ${unread} unread` : ''}
            </span>
          )}
        </p>
      </div>
      <button
        type="button"
        className="button button-quiet"
        disabled={unread === 0}
        onClick={() => void markAllRead()}
        aria-label={channel ? `Mark all read in ${channel.channel}` : 'Mark all read in every channel'}
        title="Mark all read"
      >
        <Icon name="check-check" />
        <span className="wide-only">Mark all read</span>
      </button>
    </header>
  );
}
