// What a click on a notification does: open its task in the browser (when the URL passes the
// guard), otherwise bring the window forward on the event or channel it is about; its "Mark
// read" button marks the one event read without showing anything.

import type { PushChannel, PushPayloads } from '../../contract/ipc-contract.ts';
import type { NotificationAction, NotificationIntent } from '../../engine/policy/notification-intent.ts';
import type { Logger } from '../../engine/ports.ts';

export interface NotificationClickContext {
  readonly markRead: (channelKey: string, eventIds: string[]) => void;
  readonly openTask: (url: string) => Promise<{ opened: boolean; reason?: string }>;
  readonly showWindow?: () => void;
  readonly push: <C extends PushChannel>(channel: C, payload: PushPayloads[C]) => void;
  readonly logger: Logger;
}

export async function activateNotification(
  context: NotificationClickContext,
  intent: NotificationIntent,
  action?: NotificationAction,
): Promise<void> {
  if (action === 'mark-read') {
    const { channelKey, eventId } = intent;
    if (channelKey !== undefined && eventId !== undefined) context.markRead(channelKey, [eventId]);
    return;
  }
  const target = intent.target;
  if (target.kind === 'task') {
    const result = await context.openTask(target.url);
    if (result.opened) return;
    context.logger.log('warn', 'a notification link was not opened', { reason: result.reason });
  }
  context.showWindow?.();
  if (target.kind === 'event')
    context.push('push:navigate', { channelKey: target.channelKey, eventId: target.eventId });
  else if (target.kind === 'channel')
    context.push('push:navigate', { channelKey: target.channelKey ?? null });
  else if (intent.channelKey) context.push('push:navigate', { channelKey: intent.channelKey });
}
