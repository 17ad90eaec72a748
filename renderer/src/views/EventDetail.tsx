// One event in full: every field the engine extracted and the original payload, readable and
// copyable. A side sheet over the list; Escape or the close button returns to the list.

import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { EventDto } from '../../../contract/dto.ts';
import { fullDateTime, relativeTime } from '../format/time-text.ts';
import { useNow } from '../hooks/use-now.ts';
import { typeCategory } from '../store/event-filters.ts';
import { useApp } from '../store/store-context.ts';
import { ProgressBar } from './EventRow.tsx';
import { typeStyle } from './event-type-style.ts';
import { Icon } from './Icon.tsx';

/** Copies text; falls back to a selection and the copy command where the Clipboard API is refused. */
async function copyText(text: string, fallbackElement: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!fallbackElement) return false;
    const range = document.createRange();
    range.selectNodeContents(fallbackElement);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    return document.execCommand('copy');
  }
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Payload({ text }: { text: string }) {
  const pre = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (copied === 'idle') return;
    const timer = setTimeout(() => setCopied('idle'), 2_000);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <section className="payload" aria-label="Payload">
      <div className="payload-header">
        <h3>Payload</h3>
        <button
          type="button"
          className="button button-small"
          onClick={() => void copyText(text, pre.current).then((ok) => setCopied(ok ? 'copied' : 'failed'))}
        >
          <Icon name={copied === 'copied' ? 'check' : 'copy'} />
          <span aria-live="polite">
            {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy'}
          </span>
        </button>
      </div>
      <pre ref={pre} className="payload-text">
        {text}
      </pre>
    </section>
  );
}

function DetailBody({ event }: { event: EventDto }) {
  const now = useNow(30_000);
  const channels = useApp((s) => s.channels);
  const openTask = useApp((s) => s.openTask);
  const markRead = useApp((s) => s.markRead);
  const [refusal, setRefusal] = useState<string | undefined>(undefined);
  const style = typeStyle(typeCategory(event));
  const channel = channels.find((c) => c.key === event.channelKey);

  return (
    <>
      <div className={`detail-type tone-${style.tone}`}>
        <span className="type-icon" aria-hidden="true">
          <Icon name={style.icon} />
        </span>
        <span>{style.name}</span>
        {event.unread && <span className="pill pill-unread">Unread</span>}
      </div>
      <h2 id="detail-title" className="detail-title" tabIndex={-1}>
        {event.title}
      </h2>
      {event.body && <p className="detail-body">{event.body}</p>}
      <ProgressBar progress={event.progress} />
      <div className="detail-actions">
        {event.taskUrl && (
          <button
            type="button"
            className="button button-primary"
            onClick={() =>
              void openTask(event).then((result) => setRefusal(result.opened ? undefined : result.reason))
            }
          >
            <Icon name="external" /> Open task
          </button>
        )}
        {event.unread && (
          <button type="button" className="button" onClick={() => void markRead(event)}>
            <Icon name="check" /> Mark read
          </button>
        )}
      </div>
      {refusal && (
        <p className="inline-error" role="alert">
          The task was not opened: {refusal}
        </p>
      )}
      <dl className="detail-fields">
        <Field label="Time">
          <time dateTime={new Date(event.time).toISOString()}>{fullDateTime(event.time)}</time>
          <span className="muted"> · {relativeTime(event.time, now)}</span>
        </Field>
        <Field label="Channel">
          {event.channel}
          {channel ? <span className="muted"> · {channel.serverName}</span> : null}
        </Field>
        <Field label="Type">
          <code>{event.type}</code>
        </Field>
        {event.subject && <Field label="Subject">{event.subject}</Field>}
        {event.message && event.message !== event.body && <Field label="Message">{event.message}</Field>}
        {event.documentName && <Field label="Document">{event.documentName}</Field>}
        {event.taskId !== undefined && <Field label="Task">{event.taskId}</Field>}
        {event.projectId !== undefined && <Field label="Project">{event.projectId}</Field>}
        {event.user && <Field label="User">{event.user}</Field>}
        {event.taskUrl && (
          <Field label="Task link">
            <span className="break-anywhere">{event.taskUrl}</span>
          </Field>
        )}
        {Math.abs(event.receivedAt - event.time) > 60_000 && (
          <Field label="Received">{fullDateTime(event.receivedAt)}</Field>
        )}
      </dl>
      <Payload text={event.payloadText} />
    </>
  );
}

export function EventDetail() {
  const selectedEventId = useApp((s) => s.selectedEventId);
  const events = useApp((s) => s.events);
  const openEvent = useApp((s) => s.openEvent);
  const event = useMemo(
    () => (selectedEventId === null ? undefined : events.find((e) => e.id === selectedEventId)),
    [events, selectedEventId],
  );
  const sheet = useRef<HTMLElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const open = selectedEventId !== null;

  useEffect(() => {
    if (!open) return;
    returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    sheet.current?.querySelector<HTMLElement>('.detail-title, .detail-close')?.focus();
    return () => {
      const back = returnFocus.current;
      if (back?.isConnected) back.focus();
    };
  }, [open]);

  if (!open) return null;
  const close = (): void => openEvent(null);
  return (
    <>
      <div className="sheet-backdrop" onClick={close} aria-hidden="true" />
      <aside
        ref={sheet}
        className="detail-sheet"
        aria-label="Event details"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            close();
          }
        }}
      >
        <header className="detail-header">
          <span className="detail-header-title">Event details</span>
          <button
            type="button"
            className="icon-button detail-close"
            aria-label="Close details"
            onClick={close}
          >
            <Icon name="close" />
          </button>
        </header>
        <div className="detail-scroll">
          {event ? (
            <DetailBody event={event} />
          ) : (
            <p className="muted">
              This event is no longer in the list (the history keeps the newest events).
            </p>
          )}
        </div>
      </aside>
    </>
  );
}
