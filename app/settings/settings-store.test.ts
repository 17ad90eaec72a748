import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LogLevel } from '../../engine/ports.ts';
import { DEFAULT_SETTINGS, DEFAULT_SHORTCUT, type StoredSettings } from './settings-model.ts';
import {
  type CorruptSettingsReport,
  electronStoreOptions,
  type KeyValueStore,
  StoreSettingsRepository,
} from './settings-store.ts';

// The real electron-store, in Node: it needs no Electron when given an absolute `cwd`. Its
// `import 'electron'` only resolves the binary's path, which must not try a download here.
type StoreClass = new (options: ReturnType<typeof electronStoreOptions>) => KeyValueStore & { path: string };
let ElectronStore: StoreClass;
beforeAll(async () => {
  const previous = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  process.env.ELECTRON_OVERRIDE_DIST_PATH = previous ?? join(tmpdir(), 'no-electron-binary');
  try {
    ElectronStore = (await import('electron-store')).default as unknown as StoreClass;
  } finally {
    if (previous === undefined) delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
  }
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'annotray-settings-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function repository() {
  const logs: { level: LogLevel; message: string }[] = [];
  const corrupt: CorruptSettingsReport[] = [];
  const repo = new StoreSettingsRepository({
    open: () => new ElectronStore(electronStoreOptions(dir)),
    dir,
    logger: { log: (level, message) => logs.push({ level, message }) },
    now: () => Date.UTC(2026, 10, 23, 9),
    onCorrupt: (r) => corrupt.push(r),
  });
  return { repo, logs, corrupt, file: join(dir, 'settings.json') };
}

const server = {
  id: 'ls',
  name: 'Label Studio',
  url: 'https://ls.example.com',
  eventsPath: '/api/notifications/events/{channel}',
  taskUrl: '{server}/projects/{project_id}/data?task={task_id}',
  channels: ['user_42'],
  authScheme: 'auto',
  token: { kind: 'encrypted', data: 'AAAA' },
  tokenHint: '1234',
  idleRefreshSeconds: 300,
} as const;

describe('StoreSettingsRepository on electron-store', () => {
  it('starts from defaults and writes an owner-only file', () => {
    const { repo, file } = repository();
    expect(repo.load()).toEqual(DEFAULT_SETTINGS);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('saves and loads settings unchanged', () => {
    const settings: StoredSettings = {
      ...DEFAULT_SETTINGS,
      servers: [server],
      preferences: { ...DEFAULT_SETTINGS.preferences, sound: false, pausedUntil: 'indefinite' },
    };
    repository().repo.save(settings);
    expect(repository().repo.load()).toEqual(settings);
  });

  it('migrates an old or hand-edited file and writes the result back', () => {
    const { repo, file } = repository();
    writeFileSync(
      file,
      JSON.stringify({
        servers: [server, { id: 'broken' }],
        preferences: { sound: false, types: { 'ocr.batch.processed': false, bogus: 1 } },
      }),
    );
    const settings = repo.load();
    expect(settings.servers).toEqual([server]);
    expect(settings.preferences).toMatchObject({
      sound: false,
      shortcut: DEFAULT_SHORTCUT,
      pausedUntil: null,
    });
    expect(settings.preferences.types['ocr.batch.processed']).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(settings);
  });

  it("opens a file a newer Annotray wrote without rewriting its servers' new keys away", () => {
    const { repo, file } = repository();
    const newer = { ...DEFAULT_SETTINGS, servers: [{ ...server, headers: { 'X-Team': 'ocr' } }] };
    writeFileSync(file, JSON.stringify(newer));
    expect(repo.load().servers).toEqual(newer.servers);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(newer);
  });

  it('moves a file that is not JSON aside and starts from defaults', () => {
    const { repo, file, corrupt, logs } = repository();
    writeFileSync(file, '{"servers": [');
    expect(repo.load()).toEqual(DEFAULT_SETTINGS);
    expect(corrupt).toEqual([
      {
        path: file,
        movedTo: `${file}.corrupt-2026-11-23T09-00-00-000Z`,
        reason: expect.stringMatching(/not valid JSON/),
      },
    ]);
    expect(readFileSync(`${file}.corrupt-2026-11-23T09-00-00-000Z`, 'utf8')).toBe('{"servers": [');
    expect(logs.some((l) => l.level === 'error')).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([
      'settings.json',
      'settings.json.corrupt-2026-11-23T09-00-00-000Z',
    ]);
  });

  it('moves a file with the wrong structure aside', () => {
    const { repo, file, corrupt } = repository();
    writeFileSync(file, JSON.stringify({ version: 1, servers: 'https://ls.example.com' }));
    expect(repo.load()).toEqual(DEFAULT_SETTINGS);
    expect(corrupt[0]?.reason).toMatch(/schema/);
  });

  it('refuses to write settings that break the schema (a bug, not a person)', () => {
    const { repo } = repository();
    repo.load();
    expect(() =>
      repo.save({
        ...DEFAULT_SETTINGS,
        servers: [{ ...server, channels: 'user_42' as unknown as string[] }],
      }),
    ).toThrow(/schema/);
  });

  it('does not move aside a file it cannot read for another reason', () => {
    const { repo, file } = repository();
    mkdirSync(file);
    expect(() => repo.load()).toThrow(/EISDIR|directory/i);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });
});
