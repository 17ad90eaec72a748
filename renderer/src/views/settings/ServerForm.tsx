// Adding or editing a server: address, token, authentication, channels and the advanced
// templates. Main validates; its messages appear next to their fields. "Test connection"
// runs the doctor on the form as typed and shows every check. The form's model (state,
// conversion to the request) is server-form-model.ts; this file is the view.

import { type FormEvent, useState } from 'react';
import type { DiagnosisDto, FieldError, ServerDto } from '../../../../contract/dto.ts';
import { IDLE_REFRESH_SECONDS } from '../../../../contract/limits.ts';
import { useApp } from '../../store/store-context.ts';
import { Icon } from '../Icon.tsx';
import { DiagnosisReport } from './DiagnosisReport.tsx';
import { ChoiceField, messagesFor, TextField, unplacedErrors } from './FormField.tsx';
import {
  ADVANCED_FIELDS,
  AUTH_SCHEME_LABELS,
  FORM_FIELDS,
  initialFormState,
  parseChannels,
  type ServerFormState,
  TRANSPORT_LABELS,
  toServerInput,
} from './server-form-model.ts';

/** Text values of the form, with the request field main reports their errors on. */
const ERROR_FIELD: Partial<Record<keyof ServerFormState, string>> = { idleRefresh: 'idleRefreshSeconds' };

export function ServerForm({ server, onDone }: { server?: ServerDto; onDone: () => void }) {
  const saveServer = useApp((s) => s.saveServer);
  const testConnection = useApp((s) => s.testConnection);
  const [form, setForm] = useState<ServerFormState>(() => initialFormState(server));
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  const [busy, setBusy] = useState<'idle' | 'saving' | 'testing'>('idle');
  const [diagnosis, setDiagnosis] = useState<DiagnosisDto | undefined>(undefined);
  const [testChannel, setTestChannel] = useState('');
  const channels = parseChannels(form.channels);
  const chosenChannel = channels.includes(testChannel) ? testChannel : (channels[0] ?? '');

  const edit = <K extends keyof ServerFormState>(key: K, value: ServerFormState[K]): void =>
    setForm((f) => ({ ...f, [key]: value }));
  /** Binds a field's value, its edits and main's messages for it. */
  const bind = <K extends keyof ServerFormState>(key: K) => ({
    value: form[key],
    onChange: (value: ServerFormState[K]) => edit(key, value),
    errors: messagesFor(errors, ERROR_FIELD[key] ?? key),
  });

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const { input, errors: local } = toServerInput(form, server?.id);
    setErrors(local);
    if (!input) return;
    setBusy('saving');
    const result = await saveServer(input);
    setBusy('idle');
    if (result.ok) onDone();
    else setErrors(result.errors);
  };

  const test = async (): Promise<void> => {
    const { input, errors: local } = toServerInput(form, server?.id);
    setErrors(local);
    setDiagnosis(undefined);
    if (!input) return;
    setBusy('testing');
    const result = await testConnection(input, chosenChannel);
    setBusy('idle');
    if (result.ok) setDiagnosis(result.value);
    else setErrors(result.errors);
  };

  const formErrors = unplacedErrors(errors, FORM_FIELDS);
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
        <TextField
          label="Server URL"
          hint="The Label Studio address, as in your browser."
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="https://label-studio.example.com"
          {...bind('url')}
        />
        <TextField
          label="Name"
          hint="How the sidebar calls it."
          type="text"
          placeholder="Label Studio"
          {...bind('name')}
        />
        <TextField
          label="Channels"
          hint="Your notification channels, separated by commas, e.g. user_42."
          type="text"
          autoComplete="off"
          spellCheck={false}
          placeholder="user_42"
          {...bind('channels')}
        />
        <TextField
          label="Token"
          hint={
            server?.hasToken
              ? 'Leave empty to keep the stored token. It is never shown again.'
              : 'From Label Studio: Account & Settings → Access Token.'
          }
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          placeholder={tokenPlaceholder}
          disabled={form.removeToken}
          {...bind('token')}
        />
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
        <ChoiceField label="Authentication" labels={AUTH_SCHEME_LABELS} {...bind('authScheme')} />
      </div>
      <details
        className="advanced"
        open={ADVANCED_FIELDS.some((f) => messagesFor(errors, f).length > 0) || undefined}
      >
        <summary>Advanced</summary>
        <div className="form-grid">
          <ChoiceField
            label="Transport"
            hint="Servers that moved their notifications to Django Channels use the WebSocket."
            labels={TRANSPORT_LABELS}
            {...bind('transport')}
          />
          {form.transport === 'ws' && (
            <TextField
              label="Socket path"
              hint={
                <>
                  May contain <code>{'{channel}'}</code>. Empty: <code>/ws/notifications/</code>; the server
                  picks your group from your token.
                </>
              }
              type="text"
              spellCheck={false}
              placeholder="/ws/notifications/"
              {...bind('socketPath')}
            />
          )}
          <TextField
            label="Events path"
            hint={
              <>
                Where the stream is, with <code>{'{channel}'}</code>. Empty: Label Studio's default.
              </>
            }
            type="text"
            spellCheck={false}
            placeholder="/api/notifications/events/{channel}"
            {...bind('eventsPath')}
          />
          <TextField
            label="Task link"
            hint={
              <>
                Opens a task, with <code>{'{server}'}</code>, <code>{'{project_id}'}</code>,{' '}
                <code>{'{task_id}'}</code>. Empty: Label Studio's default.
              </>
            }
            type="text"
            spellCheck={false}
            placeholder="{server}/projects/{project_id}/data?task={task_id}"
            {...bind('taskUrl')}
          />
          <TextField
            label="Idle refresh (seconds)"
            hint="A silent connection is replaced after this long, without losing events, in case it stalled."
            type="number"
            min={IDLE_REFRESH_SECONDS.min}
            max={IDLE_REFRESH_SECONDS.max}
            step={1}
            {...bind('idleRefresh')}
          />
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
