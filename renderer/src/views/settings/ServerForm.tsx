// Adding or editing a server: address, token, authentication, channels and the advanced
// templates. Main validates; its messages appear next to their fields. "Test connection"
// runs the doctor on the form as typed and shows every check.

import { type FormEvent, useState } from 'react';
import type {
  AuthSchemeDto,
  DiagnosisDto,
  FieldError,
  ServerDto,
  TransportDto,
} from '../../../../contract/dto.ts';
import type { ServerInput } from '../../../../contract/server-schema.ts';
import { useApp } from '../../store/store-context.ts';
import { Icon } from '../Icon.tsx';
import { DiagnosisReport } from './DiagnosisReport.tsx';
import { FormField, messagesFor, unplacedErrors } from './FormField.tsx';

const FIELDS = [
  'name',
  'url',
  'token',
  'authScheme',
  'channels',
  'eventsPath',
  'taskUrl',
  'idleRefreshSeconds',
  'transport',
  'socketPath',
];

const TRANSPORTS: { value: TransportDto; label: string }[] = [
  { value: 'sse', label: 'Event stream (Label Studio notifications)' },
  { value: 'ws', label: 'WebSocket (Django Channels ws/notifications/)' },
];

const AUTH_SCHEMES: { value: AuthSchemeDto; label: string }[] = [
  { value: 'auto', label: 'Automatic (recognise the token)' },
  { value: 'token', label: 'Legacy API token (Token …)' },
  { value: 'pat', label: 'Personal Access Token (refresh JWT)' },
  { value: 'bearer', label: 'Bearer access token' },
];

/** A new server's idle refresh until the person changes it: five minutes, as in the CLI. */
const NEW_SERVER_IDLE_REFRESH = 300;
/** The request schema's bounds (contract/ipc-contract.ts): outside them main refuses the request. */
const IDLE_REFRESH_RANGE = { min: 2, max: 86_400 };

export function parseChannels(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((c) => c.trim())
    .filter(Boolean);
}

interface FormState {
  name: string;
  url: string;
  channels: string;
  token: string;
  removeToken: boolean;
  authScheme: AuthSchemeDto;
  eventsPath: string;
  taskUrl: string;
  idleRefresh: string;
  transport: TransportDto;
  socketPath: string;
}

function initialState(server: ServerDto | undefined): FormState {
  return {
    name: server?.name ?? '',
    url: server?.url ?? '',
    channels: server?.channels.join(', ') ?? '',
    token: '',
    removeToken: false,
    authScheme: server?.authScheme ?? 'auto',
    eventsPath: server?.eventsPath ?? '',
    taskUrl: server?.taskUrl ?? '',
    idleRefresh: String(server?.idleRefreshSeconds ?? NEW_SERVER_IDLE_REFRESH),
    transport: server?.transport ?? 'sse',
    socketPath: server?.transport === 'ws' ? server.socketPath : '',
  };
}

function toInput(form: FormState, id: string | undefined): { input?: ServerInput; errors: FieldError[] } {
  const idle = Number(form.idleRefresh);
  if (!Number.isInteger(idle) || idle < IDLE_REFRESH_RANGE.min || idle > IDLE_REFRESH_RANGE.max) {
    return {
      errors: [
        {
          field: 'idleRefreshSeconds',
          message: `Enter a whole number of seconds from ${IDLE_REFRESH_RANGE.min} to ${IDLE_REFRESH_RANGE.max}.`,
        },
      ],
    };
  }
  const token = form.removeToken ? { token: '' } : form.token.trim() !== '' ? { token: form.token } : {};
  return {
    input: {
      ...(id ? { id } : {}),
      name: form.name,
      url: form.url,
      eventsPath: form.eventsPath,
      taskUrl: form.taskUrl,
      channels: parseChannels(form.channels),
      authScheme: form.authScheme,
      idleRefreshSeconds: idle,
      ...(form.transport === 'ws' ? { transport: 'ws' as const, socketPath: form.socketPath } : {}),
      ...token,
    },
    errors: [],
  };
}

export function ServerForm({ server, onDone }: { server?: ServerDto; onDone: () => void }) {
  const saveServer = useApp((s) => s.saveServer);
  const testConnection = useApp((s) => s.testConnection);
  const [form, setForm] = useState<FormState>(() => initialState(server));
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  const [busy, setBusy] = useState<'idle' | 'saving' | 'testing'>('idle');
  const [diagnosis, setDiagnosis] = useState<DiagnosisDto | undefined>(undefined);
  const [testChannel, setTestChannel] = useState('');
  const channels = parseChannels(form.channels);
  const chosenChannel = channels.includes(testChannel) ? testChannel : (channels[0] ?? '');

  const edit = <K extends keyof FormState>(key: K, value: FormState[K]): void =>
    setForm((f) => ({ ...f, [key]: value }));

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const { input, errors: local } = toInput(form, server?.id);
    setErrors(local);
    if (!input) return;
    setBusy('saving');
    const result = await saveServer(input);
    setBusy('idle');
    if (result.ok) onDone();
    else setErrors(result.errors);
  };

  const test = async (): Promise<void> => {
    const { input, errors: local } = toInput(form, server?.id);
    setErrors(local);
    setDiagnosis(undefined);
    if (!input) return;
    setBusy('testing');
    const result = await testConnection(input, chosenChannel);
    setBusy('idle');
    if (result.ok) setDiagnosis(result.value);
    else setErrors(result.errors);
  };

  const formErrors = unplacedErrors(errors, FIELDS);
  const tokenPlaceholder = server?.hasToken
    ? `Stored${server.tokenHint ? ` (ends in ${server.tokenHint})` : ''}. Type to replace it`
    : 'Paste your access token';

  return (
    <form
      className="server-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={server ? `Edit ${server.name}` : 'Add a server'}
    >
      <h3>{server ? `Edit ${server.name || server.url}` : 'Add a server'}</h3>
      {formErrors.length > 0 && (
        <p className="form-error" role="alert">
          {formErrors.join(' ')}
        </p>
      )}
      <div className="form-grid">
        <FormField
          label="Server URL"
          errors={messagesFor(errors, 'url')}
          hint="The Label Studio address, as in your browser."
        >
          {(control) => (
            <input
              {...control}
              type="url"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              placeholder="https://label-studio.example.com"
              value={form.url}
              onChange={(e) => edit('url', e.currentTarget.value)}
            />
          )}
        </FormField>
        <FormField label="Name" errors={messagesFor(errors, 'name')} hint="How the sidebar calls it.">
          {(control) => (
            <input
              {...control}
              type="text"
              placeholder="Label Studio"
              value={form.name}
              onChange={(e) => edit('name', e.currentTarget.value)}
            />
          )}
        </FormField>
        <FormField
          label="Channels"
          errors={messagesFor(errors, 'channels')}
          hint="Your notification channels, separated by commas, e.g. user_42."
        >
          {(control) => (
            <input
              {...control}
              type="text"
              autoComplete="off"
              spellCheck={false}
              placeholder="user_42"
              value={form.channels}
              onChange={(e) => edit('channels', e.currentTarget.value)}
            />
          )}
        </FormField>
        <FormField
          label="Token"
          errors={messagesFor(errors, 'token')}
          hint={
            server?.hasToken
              ? 'Leave empty to keep the stored token. It is never shown again.'
              : 'From Label Studio: Account & Settings → Access Token.'
          }
        >
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              spellCheck={false}
              placeholder={tokenPlaceholder}
              value={form.token}
              disabled={form.removeToken}
              onChange={(e) => edit('token', e.currentTarget.value)}
            />
          )}
        </FormField>
        {server?.hasToken && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={form.removeToken}
              onChange={(e) => edit('removeToken', e.currentTarget.checked)}
            />
            Remove the stored token
          </label>
        )}
        <FormField label="Authentication" errors={messagesFor(errors, 'authScheme')}>
          {(control) => (
            <select
              {...control}
              value={form.authScheme}
              onChange={(e) => edit('authScheme', e.currentTarget.value as AuthSchemeDto)}
            >
              {AUTH_SCHEMES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      <details
        className="advanced"
        open={
          ['eventsPath', 'taskUrl', 'idleRefreshSeconds', 'transport', 'socketPath'].some(
            (f) => messagesFor(errors, f).length > 0,
          ) || undefined
        }
      >
        <summary>Advanced</summary>
        <div className="form-grid">
          <FormField
            label="Transport"
            errors={messagesFor(errors, 'transport')}
            hint="Servers that moved their notifications to Django Channels use the WebSocket."
          >
            {(control) => (
              <select
                {...control}
                value={form.transport}
                onChange={(e) => edit('transport', e.currentTarget.value as TransportDto)}
              >
                {TRANSPORTS.map((t) => (
                  <option key={t.value} value={t.value}>
                    {t.label}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          {form.transport === 'ws' && (
            <FormField
              label="Socket path"
              errors={messagesFor(errors, 'socketPath')}
              hint={
                <>
                  May contain <code>{'{channel}'}</code>. Empty: <code>/ws/notifications/</code>; the server
                  picks your group from your token.
                </>
              }
            >
              {(control) => (
                <input
                  {...control}
                  type="text"
                  spellCheck={false}
                  placeholder="/ws/notifications/"
                  value={form.socketPath}
                  onChange={(e) => edit('socketPath', e.currentTarget.value)}
                />
              )}
            </FormField>
          )}
          <FormField
            label="Events path"
            errors={messagesFor(errors, 'eventsPath')}
            hint={
              <>
                Where the stream is, with <code>{'{channel}'}</code>. Empty: Label Studio's default.
              </>
            }
          >
            {(control) => (
              <input
                {...control}
                type="text"
                spellCheck={false}
                placeholder="/api/notifications/events/{channel}"
                value={form.eventsPath}
                onChange={(e) => edit('eventsPath', e.currentTarget.value)}
              />
            )}
          </FormField>
          <FormField
            label="Task link"
            errors={messagesFor(errors, 'taskUrl')}
            hint={
              <>
                Opens a task, with <code>{'{server}'}</code>, <code>{'{project_id}'}</code>,{' '}
                <code>{'{task_id}'}</code>. Empty: Label Studio's default.
              </>
            }
          >
            {(control) => (
              <input
                {...control}
                type="text"
                spellCheck={false}
                placeholder="{server}/projects/{project_id}/data?task={task_id}"
                value={form.taskUrl}
                onChange={(e) => edit('taskUrl', e.currentTarget.value)}
              />
            )}
          </FormField>
          <FormField
            label="Idle refresh (seconds)"
            errors={messagesFor(errors, 'idleRefreshSeconds')}
            hint="A silent connection is replaced after this long, without losing events, in case it stalled."
          >
            {(control) => (
              <input
                {...control}
                type="number"
                min={IDLE_REFRESH_RANGE.min}
                max={IDLE_REFRESH_RANGE.max}
                step={1}
                value={form.idleRefresh}
                onChange={(e) => edit('idleRefresh', e.currentTarget.value)}
              />
            )}
          </FormField>
        </div>
      </details>
      <div className="form-actions">
        <div className="test-group">
          <button type="button" className="button" disabled={busy !== 'idle'} onClick={() => void test()}>
            <Icon name="stethoscope" />
            {busy === 'testing' ? 'Testing…' : 'Test connection'}
          </button>
          {channels.length > 1 && (
            <select
              aria-label="Channel to test"
              value={chosenChannel}
              onChange={(e) => setTestChannel(e.currentTarget.value)}
            >
              {channels.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          )}
        </div>
        <span className="spacer" />
        <button type="button" className="button button-quiet" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={busy !== 'idle'}>
          {busy === 'saving' ? 'Saving…' : server ? 'Save' : 'Add server'}
        </button>
      </div>
      {busy === 'testing' && (
        <p className="muted" role="status">
          Testing the connection: DNS, TCP, TLS, authentication, the stream…
        </p>
      )}
      {diagnosis && <DiagnosisReport diagnosis={diagnosis} />}
    </form>
  );
}
