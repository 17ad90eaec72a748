// One event in the list: its type's icon and colour, the engine's title, the message, the
// document, a progress bar where there is one, its time, and its actions. Text only, never HTML.

import { memo } from 'react';
import type { EventDto, ProgressDto } from '../../../contract/dto.ts';
import { fullDateTime, relativeTime } from '../format/time-text.ts';
import { typeCategory } from '../store/event-filters.ts';
import { typeStyle } from './event-type-style.ts';
import { Icon } from './Icon.tsx';

/** The completed share of a progress, 0..1, when the event says enough to know it. */
export function progressRatio(progress: ProgressDto | undefined): number | undefined {
  if (!progress) return undefined;
  if (progress.ratio !== undefined) return Math.min(1, Math.max(0, progress.ratio));
  if (progress.done !== undefined && progress.total !== undefined && progress.total > 0) {
    return Math.min(1, Math.max(0, progress.done / progress.total));
  }
  return undefined;
}

export function ProgressBar({ progress }: { progress: ProgressDto | undefined }) {
  const ratio = progressRatio(progress);
  if (ratio === undefined || !progress) return null;
  const percent = `${Math.round(ratio * 100)}%`;
  const counted = progress.done !== undefined && progress.total !== undefined;
  return (
    <span className="progress">
      <progress value={ratio} max={1} aria-label={`Progress ${percent}`} />
      <span className="progress-text">
        {counted ? `${progress.done}/${progress.total} · ${percent}` : percent}
      </span>
    </span>
  );
}

export interface EventRowProps {
  readonly event: EventDto;
  readonly now: number;
  /** The row keyboard focus returns to (the roving tab stop). */
  readonly tabStop: boolean;
  readonly selected: boolean;
  /** Shown in "All channels", where rows of several channels mix. */
  readonly channelLabel?: string;
  readonly onOpen: (event: EventDto) => void;
  readonly onMarkRead: (event: EventDto) => void;
  readonly onOpenTask: (event: EventDto) => void;
}

export const EventRow = memo(function EventRow({
  event,
  now,
  tabStop,
  selected,
  channelLabel,
  onOpen,
  onMarkRead,
  onOpenTask,
}: EventRowProps) {
  const style = typeStyle(typeCategory(event));
  const when = relativeTime(event.time, now);
  const tabIndex = tabStop ? 0 : -1;
  return (
    // A click anywhere on the row opens the detail, for the mouse; the keyboard has the title button.
    // biome-ignore lint/a11y/useKeyWithClickEvents: the title button is the keyboard equivalent
    // biome-ignore lint/a11y/noStaticElementInteractions: as above
    <div
      className={`event-row tone-${style.tone}${event.unread ? ' unread' : ''}${selected ? ' selected' : ''}`}
      data-event-id={event.id}
      onClick={(e) => {
        if (!(e.target as HTMLElement).closest('button')) onOpen(event);
      }}
    >
      <span className="type-icon" aria-hidden="true">
        <Icon name={style.icon} />
      </span>
      <div className="event-text">
        <div className="event-headline">
          <button
            type="button"
            className="event-title row-focus"
            tabIndex={tabIndex}
            onClick={() => onOpen(event)}
            aria-label={`${event.unread ? 'Unread: ' : ''}${event.title} (${style.label}), ${when}`}
          >
            {event.title}
          </button>
          {event.unread && <span className="unread-dot" aria-hidden="true" />}
          <time
            className="event-time"
            dateTime={new Date(event.time).toISOString()}
            title={fullDateTime(event.time)}
          >
            {when}
          </time>
        </div>
        {event.body && <p className="event-body">{event.body}</p>}
        <ProgressBar progress={event.progress} />
        <div className="event-footer">
          <span className="type-label">{style.label}</span>
          {event.documentName && (
            <span className="meta-item" title={event.documentName}>
              <Icon name="file" />
              <span className="meta-text">{event.documentName}</span>
            </span>
          )}
          {channelLabel && (
            <span className="meta-item meta-channel" title={channelLabel}>
              <Icon name="hash" />
              <span className="meta-text">{channelLabel}</span>
            </span>
          )}
          <span className="event-actions">
            {event.unread && (
              <button
                type="button"
                className="icon-button mark-read"
                tabIndex={tabIndex}
                aria-label={`Mark read: ${event.title}`}
                title="Mark read"
                onClick={() => onMarkRead(event)}
              >
                <Icon name="check" />
              </button>
            )}
            {event.taskUrl && (
              <button
                type="button"
                className="button button-small open-task"
                tabIndex={tabIndex}
                aria-label={`Open task${event.taskId !== undefined ? ` ${event.taskId}` : ''} in the browser`}
                title={event.taskUrl}
                onClick={() => onOpenTask(event)}
              >
                <Icon name="external" />
                <span>Open task</span>
              </button>
            )}
          </span>
        </div>
      </div>
    </div>
  );
});
