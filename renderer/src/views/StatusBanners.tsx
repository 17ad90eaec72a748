// What is going on, above the list, when it is not simply "connected": the demo feed, every
// channel failing, this channel failing, a proxy cutting this channel's quiet stream,
// notifications paused. Each says what to do.

import type { ReactNode } from 'react';
import type { ChannelDto } from '../../../contract/dto.ts';
import { pauseUntilText } from '../format/pause-text.ts';
import { clockTime } from '../format/time-text.ts';
import { everyChannelFailed } from '../store/channel-groups.ts';
import { useApp } from '../store/store-context.ts';
import { Icon, type IconName } from './Icon.tsx';

function Banner({
  tone,
  icon,
  title,
  children,
  actions,
}: {
  tone: 'demo' | 'error' | 'info';
  icon: IconName;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section
      className={`banner banner-${tone}`}
      role={tone === 'error' ? 'alert' : 'status'}
      aria-label={title}
    >
      <Icon name={icon} className="banner-icon" />
      <div className="banner-text">
        <strong>{title}</strong>
        {children && <span>{children}</span>}
      </div>
      {actions && <div className="banner-actions">{actions}</div>}
    </section>
  );
}

/** Each distinct reason once: ten channels refused for the same token say it once. */
function failureReasons(channels: readonly ChannelDto[]): string[] {
  return [...new Set(channels.flatMap((c) => (c.state.kind === 'failed' ? [c.state.reason] : [])))];
}

export function StatusBanners() {
  const demo = useApp((s) => s.demo);
  const channels = useApp((s) => s.channels);
  const scope = useApp((s) => s.scope);
  const pause = useApp((s) => s.settings?.preferences.pause);
  const quietNow = useApp((s) => s.settings?.preferences.quietNow);
  const errorsNotify = useApp((s) => s.settings?.preferences.errorsAlwaysNotify ?? true);
  const showView = useApp((s) => s.showView);
  const reconnect = useApp((s) => s.reconnect);
  const pauseAction = useApp((s) => s.pause);
  const channel = scope === null ? undefined : channels.find((c) => c.key === scope);
  const allFailed = everyChannelFailed(channels);
  const inView = channel ? [channel] : channels;
  const advised = inView.filter((c) => c.advice && c.state.kind !== 'failed');
  const historyTrouble = inView.filter((c) => c.historyProblem !== undefined);
  const settingsButton = (
    <button type="button" className="button button-small" onClick={() => showView('settings')}>
      Open settings
    </button>
  );

  return (
    <>
      {demo && (
        <Banner
          tone="demo"
          icon="play"
          title="Demo feed"
          actions={
            <button
              type="button"
              className="button button-primary button-small"
              onClick={() => showView('settings')}
            >
              <Icon name="plus" /> Add a server
            </button>
          }
        >
          These events come from Annotray's built-in demo server. Add your Label Studio server to follow your
          own channels.
        </Banner>
      )}
      {allFailed ? (
        <Banner
          tone="error"
          icon="x-circle"
          title={channels.length === 1 ? 'The channel has failed' : 'Every channel has failed'}
          actions={
            <>
              {settingsButton}
              <button type="button" className="button button-small" onClick={() => void reconnect(null)}>
                <Icon name="retry" /> Retry
              </button>
            </>
          }
        >
          {`Annotray stopped retrying because retrying cannot fix this: ${failureReasons(channels).join('; ')}`}
        </Banner>
      ) : (
        channel?.state.kind === 'failed' && (
          <Banner
            tone="error"
            icon="x-circle"
            title="This channel has failed"
            actions={
              <>
                {settingsButton}
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => void reconnect(channel.key)}
                >
                  <Icon name="retry" /> Retry
                </button>
              </>
            }
          >
            {channel.state.reason}
          </Banner>
        )
      )}
      {advised.length > 0 && (
        <Banner
          tone="info"
          icon="unplugged"
          title={`A proxy keeps closing the quiet stream of ${advised.map((c) => c.channel).join(', ')}`}
        >
          {[...new Set(advised.map((c) => c.advice))].join(' ')}
        </Banner>
      )}
      {historyTrouble.length > 0 && (
        <Banner
          tone="error"
          icon="alert"
          title={`Something is wrong with the saved history of ${historyTrouble.map((c) => c.channel).join(', ')}`}
        >
          {[...new Set(historyTrouble.map((c) => c.historyProblem))].join(' ')}
        </Banner>
      )}
      {quietNow && (!pause || pause.kind === 'none') && (
        <Banner
          tone="info"
          icon="bell-off"
          title={quietNow.until === null ? 'Quiet hours' : `Quiet hours until ${clockTime(quietNow.until)}`}
          actions={
            <button type="button" className="button button-small" onClick={() => showView('settings')}>
              Change
            </button>
          }
        >
          {`Notifications are silent; events are still listed and counted as unread.${errorsNotify ? ' Errors still notify.' : ''}`}
        </Banner>
      )}
      {pause && pause.kind !== 'none' && (
        <Banner
          tone="info"
          icon="bell-off"
          title="Notifications paused"
          actions={
            <button type="button" className="button button-small" onClick={() => void pauseAction('resume')}>
              Resume
            </button>
          }
        >
          {`No desktop notifications ${pauseUntilText(pause, Date.now())}. The list still updates.`}
        </Banner>
      )}
    </>
  );
}
