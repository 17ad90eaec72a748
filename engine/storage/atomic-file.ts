// Files that must survive a crash in the middle of a write: write a sibling temp file,
// flush it to disk, then rename over the target (atomic on POSIX and NTFS). A reader sees
// the old file or the new one, never half of each.

import { renameSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let sequence = 0;

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  sequence += 1;
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${sequence}.tmp`);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Where an unreadable file is kept for a person to inspect: `<path>.corrupt-<time>`. */
export function asidePath(path: string, now: number): string {
  return `${path}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
}

/** Moves an unreadable file aside (keeping it for a person to inspect) and returns its new path. */
export async function moveAside(path: string, now: number): Promise<string> {
  const aside = asidePath(path, now);
  await rename(path, aside);
  return aside;
}

/** moveAside for callers that must stay synchronous (the settings store, at start-up). */
export function moveAsideSync(path: string, now: number): string {
  const aside = asidePath(path, now);
  renameSync(path, aside);
  return aside;
}
