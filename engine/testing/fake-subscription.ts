// A stand-in for one network attempt, driven by the test: connect it, open it, send frames,
// end it with the facts a real attempt would have seen.

import type { Attempt, AttemptFactory, AttemptListener } from '../connection/attempt.ts';
import type { AttemptFacts } from '../connection/failure.ts';
import { RetryFieldScanner } from '../connection/retry-field.ts';
import type { SubscriptionOptions } from '../connection/subscription.ts';

export class FakeSubscription implements Attempt {
  readonly options: SubscriptionOptions;
  readonly retry = new RetryFieldScanner();

  get retryMs(): number | undefined {
    return this.retry.value;
  }
  connectedAt: number | undefined;
  openedAt: number | undefined;
  lastEventId: string | undefined;
  closed = false;
  ended = false;
  readonly #listener: AttemptListener;
  readonly #now: () => number;

  constructor(options: SubscriptionOptions, listener: AttemptListener, now: () => number) {
    this.options = options;
    this.#listener = listener;
    this.#now = now;
    this.lastEventId = options.lastEventId;
  }

  close(): void {
    this.closed = true;
    this.ended = true;
  }

  connect(): this {
    this.connectedAt = this.#now();
    this.#listener.connected(this);
    return this;
  }

  open(): this {
    if (this.connectedAt === undefined) this.connect();
    this.openedAt = this.#now();
    this.#listener.open(this);
    return this;
  }

  send(data: string, id?: string, retry?: number): this {
    if (retry !== undefined) this.retry.feed(`retry: ${retry}\n`);
    if (id !== undefined) this.lastEventId = id;
    this.#listener.activity(this);
    this.#listener.frame(this, { data, ...(id !== undefined ? { sseId: id } : {}) });
    return this;
  }

  /** Ends the attempt as the network would. */
  end(facts: Partial<AttemptFacts> = {}): void {
    this.ended = true;
    this.#listener.ended(this, { url: this.options.url, channel: this.options.channel, ...facts });
  }
}

export function fakeSubscriptions(): {
  factory: AttemptFactory;
  all: FakeSubscription[];
  last(): FakeSubscription;
} {
  const all: FakeSubscription[] = [];
  return {
    all,
    factory: (options, listener, now) => {
      const sub = new FakeSubscription(options, listener, now);
      all.push(sub);
      return sub;
    },
    last() {
      const sub = all.at(-1);
      if (!sub) throw new Error('no subscription was opened');
      return sub;
    },
  };
}

export const refused = {
  fetchError: Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
};

export function answered(
  status: number,
  contentType = 'text/html',
  extra: Partial<NonNullable<AttemptFacts['response']>> = {},
) {
  return { response: { status, contentType, redirected: false, finalUrl: 'http://h/x', ...extra } };
}
