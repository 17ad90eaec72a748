// The step runner with fake steps, no network: the order, the context handed on, the stop and
// its reason on every later check, the secrets, and the AbortSignal.

import { describe, expect, it } from 'vitest';
import { CHECK_ORDER, type CheckId, type DoctorCheck } from './doctor-report.ts';
import { type DoctorStep, type StepContext, StepList } from './step-runner.ts';

interface Counted extends StepContext {
  readonly seen: readonly string[];
}

const ok = (id: CheckId, title = `${id}: ok`): DoctorCheck => ({ id, status: 'ok', title, detail: '' });
const fail = (id: CheckId): DoctorCheck => ({ id, status: 'fail', title: `${id}: broken`, detail: '' });

/** A step that reports `id` as ok and hands on the context with its name appended. */
function passing(id: CheckId, ran: string[]): DoctorStep<Counted, Counted> {
  return {
    name: id,
    run(context) {
      ran.push(id);
      return { checks: [ok(id)], next: { ...context, seen: [...context.seen, id] } };
    },
  };
}

const START: Counted = { reportUrl: 'http://typed', seen: [] };

describe('StepList', () => {
  it('runs the steps in order, each with what the one before it gave, and lists every check', async () => {
    const ran: string[] = [];
    const seenByLast: string[][] = [];
    const list = StepList.startingWith(passing('settings', ran))
      .followedBy<Counted>({
        name: 'dns',
        run: (context) => ({ checks: [ok('dns')], next: { ...context, reportUrl: 'http://stream' } }),
      })
      .followedBy({
        name: 'tcp',
        run(context) {
          seenByLast.push([...context.seen, context.reportUrl]);
          return { checks: [ok('tcp')], next: context };
        },
      });
    expect(list.names).toEqual(['settings', 'dns', 'tcp']);

    const report = await list.run(START);
    expect(ran).toEqual(['settings']);
    expect(seenByLast).toEqual([['settings', 'http://stream']]);
    expect(report.url).toBe('http://stream');
    expect(report.checks.map((check) => check.id)).toEqual(CHECK_ORDER);
    expect(report.checks.slice(0, 3).map((check) => check.status)).toEqual(['ok', 'ok', 'ok']);
    // A check no step reported is skipped with the general reason.
    expect(report.checks[3]).toEqual({
      id: 'tls',
      status: 'skip',
      title: 'TLS: not checked (an earlier check failed)',
      detail: '',
    });
    expect(report.verdict).toBe('ok');
  });

  it('stops at the first step that says so and skips every later check with its reason', async () => {
    const ran: string[] = [];
    const list = StepList.startingWith(passing('settings', ran))
      .followedBy<Counted>({
        name: 'dns',
        run() {
          ran.push('dns');
          return { checks: [fail('dns')], stop: 'DNS could not resolve example.test' };
        },
      })
      .followedBy(passing('tcp', ran))
      .followedBy(passing('tls', ran));

    const report = await list.run(START);
    expect(ran).toEqual(['settings', 'dns']);
    expect(report.url).toBe('http://typed');
    expect(report.verdict).toBe('fail');
    expect(report.checks.slice(0, 2).map((check) => check.status)).toEqual(['ok', 'fail']);
    const later = report.checks.slice(2);
    expect(later.map((check) => check.id)).toEqual(CHECK_ORDER.slice(2));
    for (const check of later) {
      expect(check.status).toBe('skip');
      expect(check.title).toMatch(/: not checked \(DNS could not resolve example\.test\)$/);
    }
    expect(report.checks[2]?.title).toBe('TCP: not checked (DNS could not resolve example.test)');
  });

  it('takes every secret a step names out of all checks, earlier ones and skip reasons included', async () => {
    const list = StepList.startingWith<Counted, Counted>({
      name: 'settings',
      run: (context) => ({ checks: [ok('settings', 'settings: sent s3cret-token')], next: context }),
    }).followedBy<Counted>({
      name: 'auth',
      run: () => ({
        checks: [
          {
            id: 'auth',
            status: 'fail',
            title: 'auth: refused',
            detail: 'echo s3cret-token',
            fix: 's3cret-token',
          },
        ],
        secrets: ['s3cret-token'],
        stop: 'the server refused s3cret-token',
      }),
    });

    const report = await list.run(START);
    expect(JSON.stringify(report)).not.toContain('s3cret-token');
    expect(report.checks[0]?.title).toBe('settings: sent [token]');
    expect(report.checks[4]).toMatchObject({ detail: 'echo [token]', fix: '[token]' });
    expect(report.checks[5]?.title).toBe('Redirects: not checked (the server refused [token])');
  });

  it('rejects with the reason of a signal aborted before the run, and runs no step', async () => {
    const ran: string[] = [];
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const list = StepList.startingWith(passing('settings', ran));
    await expect(list.run(START, controller.signal)).rejects.toThrow('stop');
    expect(ran).toEqual([]);
  });

  it('rejects with the reason of an abort during a step that came back anyway, and starts no later step', async () => {
    const ran: string[] = [];
    const controller = new AbortController();
    const list = StepList.startingWith<Counted, Counted>({
      name: 'settings',
      run(context, signal) {
        expect(signal).toBe(controller.signal);
        controller.abort(new Error('user pressed Ctrl-C'));
        return { checks: [ok('settings')], next: context };
      },
    }).followedBy(passing('dns', ran));
    await expect(list.run(START, controller.signal)).rejects.toThrow('user pressed Ctrl-C');
    expect(ran).toEqual([]);
  });

  it('passes on the rejection of a step that gave up on the abort itself', async () => {
    const controller = new AbortController();
    const list = StepList.startingWith<Counted, Counted>({
      name: 'settings',
      async run(_context, signal) {
        controller.abort(new Error('closed'));
        signal?.throwIfAborted();
        return { checks: [], stop: 'unreachable' };
      },
    });
    await expect(list.run(START, controller.signal)).rejects.toThrow('closed');
  });
});
