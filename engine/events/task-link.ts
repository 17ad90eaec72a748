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
  const probe = template.replace(PLACEHOLDER, (_, name: string) =>
    name === 'server' ? 'https://server.invalid' : '1',
  );
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

interface CompiledTemplate {
  /** Literal text and placeholder names, alternating: text, name, text, name, …, text. */
  readonly parts: readonly string[];
  /** Whether substituting digits always yields a normalized http(s) URL (checked once). */
  readonly plain: boolean;
}

/** template → server → compiled; two levels so a lookup builds no key string. */
const compiled = new Map<string, Map<string, CompiledTemplate>>();

/** Splits a template once; every event then only joins strings. */
function compile(template: string, server: string): CompiledTemplate {
  let byServer = compiled.get(template);
  let hit = byServer?.get(server);
  if (hit) return hit;
  const parts: string[] = [];
  let literal = '';
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    const index = match.index ?? 0;
    literal += template.slice(last, index);
    last = index + match[0].length;
    if (name === 'server') {
      literal += server.replace(/\/+$/, '');
    } else {
      parts.push(literal, name);
      literal = '';
    }
  }
  parts.push(literal + template.slice(last));
  const probe = parts.map((part, i) => (i % 2 === 1 ? '123' : part)).join('');
  let plain = false;
  try {
    const url = new URL(probe);
    plain = (url.protocol === 'https:' || url.protocol === 'http:') && url.href === probe;
  } catch {
    plain = false;
  }
  hit = { parts, plain };
  if (compiled.size > 100) compiled.clear();
  if (!byServer) {
    byServer = new Map();
    compiled.set(template, byServer);
  }
  byServer.set(server, hit);
  return hit;
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
  const { parts, plain } = compile(template, server);
  let text = parts[0] ?? '';
  for (let i = 1; i < parts.length; i += 2) {
    const id = parseId(ids[parts[i] ?? '']);
    if (id === undefined) return undefined;
    text += String(id) + (parts[i + 1] ?? '');
  }
  if (plain) return text;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
