// Task links come from a per-server template such as
// `{server}/projects/{project_id}/data?task={task_id}`. Values come from event payloads,
// which we do not trust: only positive integer ids are substituted, so a payload can never
// inject a path, a query or another host into the link.

import { SettingsError } from '../connection/endpoint.ts';

export const DEFAULT_TASK_URL = '{server}/projects/{project_id}/data?task={task_id}';

const PLACEHOLDER = /\{([a-z_]+)\}/g;
const ID_PLACEHOLDERS = new Set(['task_id', 'project_id', 'user']);

/** A valid id is a positive safe integer, given as a number or as a string of digits. */
export function parseId(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  }
  if (typeof value === 'string' && /^[0-9]{1,15}$/.test(value)) {
    const n = Number(value);
    return n > 0 ? n : undefined;
  }
  return undefined;
}

/** Rejects templates that could not produce a link: unknown placeholders, or not http(s) after {server}. */
export function validateTaskUrlTemplate(template: string): string {
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (name !== 'server' && !ID_PLACEHOLDERS.has(name)) {
      throw new SettingsError(
        `the task link template uses {${name}}; it may use {server}, {project_id}, {task_id} and {user}`,
      );
    }
  }
  const probe = template.replace(PLACEHOLDER, (_, name: string) => (name === 'server' ? 'https://server.invalid' : '1'));
  let url: URL;
  try {
    url = new URL(probe);
  } catch {
    throw new SettingsError(`the task link template does not make a URL: "${template}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SettingsError(`the task link template must make an http(s) link: "${template}"`);
  }
  return template;
}

/**
 * Builds the task link for one event, or undefined when a placeholder has no valid id.
 * `server` is the configured server URL (already validated, no trailing slash).
 */
export function buildTaskUrl(
  template: string,
  server: string,
  ids: Readonly<Record<string, unknown>>,
): string | undefined {
  let missing = false;
  const text = template.replace(PLACEHOLDER, (_, name: string) => {
    if (name === 'server') return server.replace(/\/+$/, '');
    const id = parseId(ids[name]);
    if (id === undefined) missing = true;
    return String(id ?? '');
  });
  if (missing) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
