import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { NotificationIntent } from '../../engine/policy/notification-intent.ts';
import type { LogLevel } from '../../engine/ports.ts';
import { NativeNotifier, type NotificationHandle } from './native-notifier.ts';
import { notificationGroup, notificationOptions } from './notification-options.ts';

const intent = (over: Partial<NotificationIntent> = {}): NotificationIntent => ({
  id: 'n1',
  title: 'Task 7 assigned: invoice_0042.pdf',
  body: "Document 'invoice_0042.pdf' assigned for annotation",
  target: { kind: 'task', url: 'https://ls.example.com/projects/3/data?task=7' },
  count: 1,
  eventType: 'ocr.task.assigned',
  channelKey: 'ls/user_42',
  urgency: 'normal',
  silent: false,
  ...over,
});

describe('notificationOptions', () => {
  it('maps an ordinary event per platform', () => {
    expect(notificationOptions(intent(), { platform: 'linux', iconPath: '/app/icon.png' })).toEqual({
      title: 'Task 7 assigned: invoice_0042.pdf',
      body: "Document 'invoice_0042.pdf' assigned for annotation",
      silent: false,
      icon: '/app/icon.png',
      urgency: 'normal',
      timeoutType: 'default',
    });
    const mac = notificationOptions(intent(), { platform: 'darwin', iconPath: '/app/icon.png' });
    expect(mac).toEqual({
      title: 'Task 7 assigned: invoice_0042.pdf',
      body: "Document 'invoice_0042.pdf' assigned for annotation",
      silent: false,
      groupId: notificationGroup('ls/user_42'),
    });
    const win = notificationOptions(intent(), { platform: 'win32', iconPath: 'C:\\app\\icon.png' });
    expect(win).toMatchObject({ icon: 'C:\\app\\icon.png', timeoutType: 'default' });
    expect(win.urgency).toBeUndefined();
  });

  it('offers Open task and Mark read as buttons on macOS and Windows, and names the channel and server when several are followed', () => {
    const withActions = intent({
      actions: ['open-task', 'mark-read'],
      eventId: 'e1',
      source: 'user_42 · Label Studio',
    });
    const mac = notificationOptions(withActions, { platform: 'darwin' });
    expect(mac.actions).toEqual([
      { type: 'button', text: 'Open task' },
      { type: 'button', text: 'Mark read' },
    ]);
    expect(mac.subtitle).toBe('user_42 · Label Studio');
    expect(mac.body).toBe("Document 'invoice_0042.pdf' assigned for annotation");
    const win = notificationOptions(withActions, { platform: 'win32' });
    expect(win.actions).toHaveLength(2);
    expect(win.body).toBe("Document 'invoice_0042.pdf' assigned for annotation\nuser_42 · Label Studio");
    // Linux servers differ in what they do with buttons: a click opens the task there.
    const linux = notificationOptions(withActions, { platform: 'linux' });
    expect(linux.actions).toBeUndefined();
    expect(linux.body).toMatch(/\nuser_42 · Label Studio$/);
  });

  it('keeps errors on screen and honours silence', () => {
    const error = intent({ urgency: 'critical', silent: true, eventType: 'ocr.error.occurred' });
    expect(notificationOptions(error, { platform: 'linux' })).toMatchObject({
      urgency: 'critical',
      timeoutType: 'never',
      silent: true,
    });
    expect(notificationOptions(error, { platform: 'win32' })).toMatchObject({
      timeoutType: 'never',
      silent: true,
    });
  });

  it('clips long text without splitting a character, and groups by a short stable id', () => {
    const options = notificationOptions(intent({ title: '😀'.repeat(500), body: 'b'.repeat(5000) }), {
      platform: 'linux',
    });
    expect(Array.from(options.title ?? '')).toHaveLength(120);
    expect(options.title?.endsWith('…')).toBe(true);
    expect(options.body?.length).toBe(400);
    expect(notificationGroup('ls/user_42')).toBe(notificationGroup('ls/user_42'));
    expect(notificationGroup('x'.repeat(300)).length).toBeLessThanOrEqual(64);
  });
});

class FakeNotification extends EventEmitter implements NotificationHandle {
  shown = false;
  closed = false;
  readonly options: unknown;
  constructor(options: unknown) {
    super();
    this.options = options;
  }
  show(): void {
    this.shown = true;
  }
  close(): void {
    this.closed = true;
    this.emit('close');
  }
}

function setup(maxLive?: number) {
  const created: FakeNotification[] = [];
  const activated: NotificationIntent[] = [];
  const logs: { level: LogLevel; message: string }[] = [];
  const problems: (string | undefined)[] = [];
  const actions: string[] = [];
  const notifier = new NativeNotifier({
    onProblem: (problem) => problems.push(problem),
    create: (options) => {
      const n = new FakeNotification(options);
      created.push(n);
      return n;
    },
    options: (i) => notificationOptions(i, { platform: 'linux' }),
    activate: (i, action) => {
      activated.push(i);
      if (action) actions.push(action);
    },
    logger: { log: (level, message) => logs.push({ level, message }) },
    ...(maxLive ? { maxLive } : {}),
  });
  return { notifier, created, activated, logs, problems, actions };
}

describe('NativeNotifier', () => {
  it('shows a notification, keeps it referenced, and activates the intent on click', async () => {
    const t = setup();
    const i = intent();
    t.notifier.notify(i);
    expect(t.created[0]?.shown).toBe(true);
    expect(t.notifier.live).toBe(1);
    t.created[0]?.emit('click');
    await Promise.resolve();
    await Promise.resolve();
    expect(t.activated).toEqual([i]);
    expect(t.notifier.live).toBe(0);
  });

  it('passes the pressed button on to the app, by its index in the intent’s actions', async () => {
    const t = setup();
    t.notifier.notify(intent({ actions: ['open-task', 'mark-read'], eventId: 'e1' }));
    t.created[0]?.emit('action', { actionIndex: 1 }, 1);
    await Promise.resolve();
    await Promise.resolve();
    expect(t.actions).toEqual(['mark-read']);
    expect(t.notifier.live).toBe(0);
  });

  it('drops the reference when the notification closes or fails', () => {
    const t = setup();
    t.notifier.notify(intent({ id: 'a' }));
    t.notifier.notify(intent({ id: 'b' }));
    t.created[0]?.emit('close');
    t.created[1]?.emit('failed', {}, 'no daemon');
    expect(t.notifier.live).toBe(0);
    expect(t.logs).toContainEqual({ level: 'warn', message: 'the system refused a notification' });
  });

  it('does not count a notification the OS refused as shown, and says why until one is shown', () => {
    const t = setup();
    t.notifier.notify(intent({ id: 'a' }));
    t.created[0]?.emit('failed', {}, 'Notifications are not allowed for this application');
    expect(t.notifier.shown).toBe(0);
    expect(t.problems.at(-1)).toMatch(
      /refused to show a notification \(Notifications are not allowed for this application\)/,
    );
    t.notifier.notify(intent({ id: 'b' }));
    t.created[1]?.emit('show');
    expect(t.notifier.shown).toBe(1);
    expect(t.problems.at(-1)).toBeUndefined();
  });

  it('replaces a notification with the same id (an updated burst summary) instead of stacking', () => {
    const t = setup();
    t.notifier.notify(intent({ id: 'summary' }));
    t.notifier.notify(intent({ id: 'summary', title: '12 new events on user_42' }));
    expect(t.created[0]?.closed).toBe(true);
    expect(t.notifier.live).toBe(1);
    t.created[1]?.emit('close');
    expect(t.notifier.live).toBe(0);
  });

  it('keeps a bounded number of references', () => {
    const t = setup(5);
    for (let i = 0; i < 50; i += 1) t.notifier.notify(intent({ id: `n${i}` }));
    expect(t.notifier.live).toBe(5);
    expect(t.notifier.shown).toBe(50);
  });

  it('logs instead of throwing when the OS has no notification service', () => {
    const logs: string[] = [];
    const notifier = new NativeNotifier({
      create: () => {
        throw new Error('unreachable');
      },
      options: (i) => notificationOptions(i, { platform: 'linux' }),
      activate: () => {},
      logger: { log: (_l, m) => logs.push(m) },
      supported: false,
      onProblem: (problem) => problems.push(problem),
    });
    const problems: (string | undefined)[] = [];
    notifier.notify(intent());
    expect(logs[0]).toMatch(/no notification service/);
    expect(notifier.shown).toBe(0);
    expect(problems[0]).toMatch(/Notifications cannot be shown: this desktop has no notification service/);
  });
});
