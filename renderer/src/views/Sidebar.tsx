// The channels, grouped by server: each with its unread count and live connection state,
// and "All channels" on top. Arrow keys move between channels; Enter or a click shows one.

import { type FocusEvent, type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ChannelDto, ChannelMuteDto } from '../../../contract/dto.ts';
import { describeConnection } from '../format/connection-text.ts';
import { clockTime } from '../format/time-text.ts';
import { useNow } from '../hooks/use-now.ts';
import { groupByServer, totalUnread } from '../store/channel-groups.ts';
import type { MuteKind } from '../store/settings-slice.ts';
import { useApp } from '../store/store-context.ts';
import { ConnectionDot } from './ConnectionDot.tsx';
import { BrandMark, Icon } from './Icon.tsx';

function UnreadBadge({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <span className="badge">
      {count > 9999 ? '9999+' : count}
      <span className="visually-hidden"> unread</span>
    </span>
  );
}

/** "Muted until 10:00", "Muted until Thu 08:00", "Muted until unmuted". */
export function mutedText(until: ChannelMuteDto['until'], now: number): string {
  if (until === 'indefinite') return 'Muted until unmuted';
  const sameDay = new Date(until).toDateString() === new Date(now).toDateString();
  const day = sameDay ? '' : `${new Date(until).toLocaleDateString(undefined, { weekday: 'short' })} `;
  return `Muted until ${day}${clockTime(until)}`;
}

const MUTE_CHOICES: { mute: Exclude<MuteKind, 'unmute'>; label: string }[] = [
  { mute: 'hour', label: 'For 1 hour' },
  { mute: 'tomorrow', label: 'Until tomorrow' },
  { mute: 'indefinite', label: 'Until I unmute it' },
];

/** The bell beside a channel: a small menu to mute it for a while, or to unmute it. */
function MuteMenu({ channel, muted }: { channel: ChannelDto; muted: ChannelMuteDto | undefined }) {
  const mute = useApp((s) => s.mute);
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [open]);
  const choose = (kind: MuteKind) => {
    setOpen(false);
    button.current?.focus();
    void mute(channel.key, kind);
  };
  const closeOnEscape = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== 'Escape' || !open) return;
    e.stopPropagation();
    setOpen(false);
    button.current?.focus();
  };
  const leave = (e: FocusEvent<HTMLElement>) => {
    if (!wrapper.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
  };
  return (
    <div ref={wrapper} className={`mute-control${muted ? ' is-muted' : ''}${open ? ' is-open' : ''}`}>
      <button
        ref={button}
        type="button"
        className="icon-button mute-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={muted ? `${channel.channel} is muted: change` : `Mute ${channel.channel}`}
        title={muted ? 'Muted: change or unmute' : 'Mute this channel'}
        onClick={() => setOpen(!open)}
        onKeyDown={closeOnEscape}
        onBlur={leave}
      >
        <Icon name={muted ? 'bell-off' : 'bell'} />
      </button>
      {open && (
        <div
          className="mute-menu"
          role="menu"
          id={menuId}
          ref={menu}
          aria-label={`Mute ${channel.channel}`}
          onKeyDown={closeOnEscape}
          onBlur={leave}
        >
          {muted ? (
            <button type="button" role="menuitem" onClick={() => choose('unmute')}>
              Unmute
            </button>
          ) : (
            MUTE_CHOICES.map((c) => (
              <button type="button" role="menuitem" key={c.mute} onClick={() => choose(c.mute)}>
                {c.label}
              </button>
            ))
          )}
        </div>
      )}
    </div>
  );
}

function ChannelItem({
  channel,
  selected,
  now,
  muted,
  onSelect,
}: {
  channel: ChannelDto;
  selected: boolean;
  now: number;
  muted: ChannelMuteDto | undefined;
  onSelect: (key: string) => void;
}) {
  const connection = describeConnection(channel.state, now);
  const showState = connection.tone !== 'ok' && connection.tone !== 'quiet';
  return (
    <li className="channel-row">
      <button
        type="button"
        className={`channel-item${selected ? ' selected' : ''}${channel.unread > 0 ? ' has-unread' : ''}`}
        aria-current={selected ? 'page' : undefined}
        data-channel-key={channel.key}
        onClick={() => onSelect(channel.key)}
        title={connection.detail ? `${connection.label}: ${connection.detail}` : connection.label}
      >
        <ConnectionDot text={connection} />
        <span className="channel-text">
          <span className="channel-name">{channel.channel}</span>
          {showState && (
            <span className={`channel-state state-${connection.tone}`}>
              {connection.tone === 'error' && connection.detail ? connection.detail : connection.label}
            </span>
          )}
          {muted && <span className="channel-state state-muted">{mutedText(muted.until, now)}</span>}
        </span>
        <UnreadBadge count={channel.unread} />
      </button>
      <MuteMenu channel={channel} muted={muted} />
    </li>
  );
}

/** Up/Down/Home/End between the sidebar's buttons: one list to a keyboard user. */
function moveFocus(event: KeyboardEvent<HTMLElement>): void {
  const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
  if (!keys.includes(event.key)) return;
  const items = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('.channel-item')];
  const at = items.indexOf(document.activeElement as HTMLButtonElement);
  if (at < 0) return;
  event.preventDefault();
  const next =
    event.key === 'Home'
      ? 0
      : event.key === 'End'
        ? items.length - 1
        : Math.min(items.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)));
  items[next]?.focus();
}

export function Sidebar({ onNavigate }: { onNavigate?: () => void }) {
  const channels = useApp((s) => s.channels);
  const scope = useApp((s) => s.scope);
  const view = useApp((s) => s.view);
  const demo = useApp((s) => s.demo);
  const paused = useApp((s) => s.settings?.preferences.pause.kind !== 'none' && s.settings !== null);
  const selectChannel = useApp((s) => s.selectChannel);
  const mutes = useApp((s) => s.settings?.preferences.mutes);
  const showView = useApp((s) => s.showView);
  const reconnecting = channels.some((c) => c.state.kind === 'reconnecting');
  // A second-by-second clock only while a countdown is on screen.
  const now = useNow(reconnecting ? 1_000 : 30_000);
  const groups = useMemo(() => groupByServer(channels), [channels]);
  const select = (key: string | null): void => {
    void selectChannel(key);
    onNavigate?.();
  };
  const onEvents = view === 'events';

  return (
    <nav className="sidebar" aria-label="Channels" onKeyDown={moveFocus}>
      <div className="brand">
        <BrandMark />
        <span className="brand-name">Annotray</span>
        {demo && <span className="pill pill-demo">Demo</span>}
      </div>
      <div className="sidebar-scroll">
        <ul className="channel-list">
          <li>
            <button
              type="button"
              className={`channel-item all-channels${onEvents && scope === null ? ' selected' : ''}`}
              aria-current={onEvents && scope === null ? 'page' : undefined}
              data-channel-key=""
              onClick={() => select(null)}
            >
              <Icon name="inbox" className="channel-icon" />
              <span className="channel-text">
                <span className="channel-name">All channels</span>
              </span>
              <UnreadBadge count={totalUnread(channels)} />
            </button>
          </li>
        </ul>
        {groups.map((group) => (
          <section key={group.serverId} className="server-group" aria-label={`Server ${group.serverName}`}>
            <h2 className="server-name" title={group.serverName}>
              {group.serverName}
            </h2>
            <ul className="channel-list">
              {group.channels.map((channel) => (
                <ChannelItem
                  key={channel.key}
                  channel={channel}
                  selected={onEvents && scope === channel.key}
                  now={now}
                  muted={mutes?.find((m) => m.channelKey === channel.key)}
                  onSelect={select}
                />
              ))}
            </ul>
          </section>
        ))}
      </div>
      <div className="sidebar-footer">
        {paused && (
          <span className="sidebar-paused">
            <Icon name="bell-off" /> Paused
          </span>
        )}
        <button
          type="button"
          className={`channel-item settings-item${view === 'settings' ? ' selected' : ''}`}
          aria-current={view === 'settings' ? 'page' : undefined}
          onClick={() => {
            showView('settings');
            onNavigate?.();
          }}
        >
          <Icon name="settings" className="channel-icon" />
          <span className="channel-text">
            <span className="channel-name">Settings</span>
          </span>
        </button>
      </div>
    </nav>
  );
}
