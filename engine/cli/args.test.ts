import { describe, expect, it } from 'vitest';
import { type DoctorCommand, parseCommand, UsageError } from './args.ts';

const doctor = (...flags: string[]) =>
  parseCommand(
    ['doctor', '--server', 'https://ls.example.com', '--channel', 'user_42', ...flags],
    {},
  ) as DoctorCommand;

describe('doctor --wait', () => {
  it('holds the stream for the seconds given while every other step keeps its 10 s bound', () => {
    expect(doctor('--wait', '90')).toMatchObject({ holdSeconds: 90, waitSeconds: 10 });
  });

  it('holds for 130 s, past a Cloudflare cut, when given without a number', () => {
    expect(doctor('--wait')).toMatchObject({ holdSeconds: 130 });
    expect(doctor('--wait', '--json')).toMatchObject({ holdSeconds: 130, json: true });
  });

  it('does not hold the stream without --wait', () => {
    expect(doctor().holdSeconds).toBeUndefined();
  });

  it('refuses a wait that is not a positive number of seconds', () => {
    expect(() => doctor('--wait', 'soon')).toThrow(UsageError);
  });
});
