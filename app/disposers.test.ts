import { describe, expect, it } from 'vitest';
import { Disposers } from './disposers.ts';

describe('Disposers', () => {
  it('stops what was started newest first, once, going on past a stop that fails', async () => {
    const ran: string[] = [];
    const logged: unknown[] = [];
    const logger = { log: (_level: string, _message: string, fields?: unknown) => logged.push(fields) };
    const d = new Disposers();
    d.add('logger', () => ran.push('logger'));
    d.add('engine', async () => {
      await new Promise((r) => setTimeout(r, 5));
      ran.push('engine');
    });
    d.add('tray', () => {
      throw new Error('tray gone');
    });
    d.add('updates', () => ran.push('updates'));
    expect(d.done).toBe(false);
    await Promise.all([d.dispose(logger), d.dispose(logger)]);
    expect(ran).toEqual(['updates', 'engine', 'logger']);
    expect(logged).toEqual([{ part: 'tray', error: 'Error: tray gone' }]);
    expect(d.done).toBe(true);
    await d.dispose(logger);
    expect(ran).toHaveLength(3);
  });
});
