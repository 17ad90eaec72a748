// When Annotray raises desktop notifications: per event type, errors always, sound, pausing
// for an hour, until tomorrow or until resumed, quiet hours, and telling the person when a
// channel is not connected. Every switch saves at once.

import { useState } from 'react';
import type { FieldError, PreferencesDto } from '../../../../contract/dto.ts';
import type { PreferencesInput } from '../../../../contract/ipc-contract.ts';
import { UNREACHABLE_ALERT_MINUTES } from '../../../../contract/limits.ts';
import { pauseUntilText } from '../../format/pause-text.ts';
import type { PauseKind } from '../../store/settings-slice.ts';
import { useApp } from '../../store/store-context.ts';
import { TYPE_ORDER, typeStyle } from '../event-type-style.ts';
import { FormField, messagesFor, Toggle, unplacedErrors } from './FormField.tsx';
import { QuietHoursSettings } from './QuietHoursSettings.tsx';

/** The request to save preferences: everything as stored, with one change. */
export function preferencesInput(p: PreferencesDto, change: Partial<PreferencesInput>): PreferencesInput {
  return {
    types: { ...p.types },
    errorsAlwaysNotify: p.errorsAlwaysNotify,
    sound: p.sound,
    openAtLogin: p.openAtLogin,
    shortcut: p.shortcut,
    quietHours: { ...p.quietHours, days: [...p.quietHours.days], allDay: [...p.quietHours.allDay] },
    unreachableAlertMinutes: p.unreachableAlertMinutes,
    ...change,
  };
}

/** Type switches in display order; types the window has no name for keep their key. */
function orderedTypes(types: Readonly<Record<string, boolean>>): string[] {
  const keys = Object.keys(types);
  const rank = (t: string): number => {
    const at = TYPE_ORDER.indexOf(t);
    return at < 0 ? TYPE_ORDER.length : at;
  };
  return keys.sort((a, b) => rank(a) - rank(b));
}

function pauseState(pause: PreferencesDto['pause']): string {
  return pause.kind === 'none' ? 'Notifications are on.' : `Paused ${pauseUntilText(pause, Date.now())}.`;
}

const PAUSES: { kind: Exclude<PauseKind, 'resume'>; label: string }[] = [
  { kind: 'hour', label: 'For 1 hour' },
  { kind: 'tomorrow', label: 'Until tomorrow' },
  { kind: 'indefinite', label: 'Until I resume' },
];

export function NotificationSettings({ preferences }: { preferences: PreferencesDto }) {
  const setPreferences = useApp((s) => s.setPreferences);
  const pause = useApp((s) => s.pause);
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  const save = async (change: Partial<PreferencesInput>): Promise<void> => {
    const result = await setPreferences(preferencesInput(preferences, change));
    setErrors(result.ok ? [] : result.errors);
  };
  const errorsNotify = preferences.errorsAlwaysNotify;

  return (
    <div className="settings-section">
      <section className="settings-group" aria-labelledby="pause-heading">
        <h3 id="pause-heading">Pause</h3>
        <p className="settings-state" role="status">
          {pauseState(preferences.pause)}
          {errorsNotify && preferences.pause.kind !== 'none' ? ' Errors still notify.' : ''}
        </p>
        <fieldset className="segmented">
          <legend className="visually-hidden">Pause notifications</legend>
          {PAUSES.map((p) => (
            <button
              key={p.kind}
              type="button"
              className="button button-small"
              onClick={() => void pause(p.kind)}
            >
              {p.label}
            </button>
          ))}
          {preferences.pause.kind !== 'none' && (
            <button
              type="button"
              className="button button-small button-primary"
              onClick={() => void pause('resume')}
            >
              Resume
            </button>
          )}
        </fieldset>
      </section>
      <section className="settings-group" aria-labelledby="types-heading">
        <h3 id="types-heading">Notify me about</h3>
        {orderedTypes(preferences.types).map((type) => {
          const isError = typeStyle(type).tone === 'error';
          return (
            <Toggle
              key={type}
              label={typeStyle(type).name}
              {...(isError && errorsNotify ? { hint: 'Errors always notify (below).' } : {})}
              checked={preferences.types[type] ?? true}
              onChange={(on) => void save({ types: { ...preferences.types, [type]: on } })}
            />
          );
        })}
        <Toggle
          label="Errors always notify"
          hint="OCR errors notify even when their switch is off or notifications are paused."
          checked={errorsNotify}
          onChange={(on) => void save({ errorsAlwaysNotify: on })}
        />
        <Toggle label="Sound" checked={preferences.sound} onChange={(on) => void save({ sound: on })} />
        {unplacedErrors(errors, ['quietHours', 'unreachableAlertMinutes']).length > 0 && (
          <p className="form-error" role="alert">
            {unplacedErrors(errors, ['quietHours', 'unreachableAlertMinutes']).join(' ')}
          </p>
        )}
      </section>
      <QuietHoursSettings
        preferences={preferences}
        errors={messagesFor(errors, 'quietHours')}
        save={(quietHours) =>
          void save({
            quietHours: { ...quietHours, days: [...quietHours.days], allDay: [...quietHours.allDay] },
          })
        }
      />
      <section className="settings-group" aria-labelledby="alerts-heading">
        <h3 id="alerts-heading">Connection alerts</h3>
        <Toggle
          label="Tell me when a channel is not connected"
          hint="One notification when a channel has been unable to connect for a while, and one when it is back. A channel that stops for a reason retrying cannot fix (a rejected token, a wrong URL) always says so."
          checked={preferences.unreachableAlertMinutes !== null}
          onChange={(on) =>
            void save({ unreachableAlertMinutes: on ? UNREACHABLE_ALERT_MINUTES.default : null })
          }
        />
        {preferences.unreachableAlertMinutes !== null && (
          <FormField label="After (minutes)" errors={messagesFor(errors, 'unreachableAlertMinutes')}>
            {(control) => (
              <input
                {...control}
                type="number"
                min={UNREACHABLE_ALERT_MINUTES.min}
                max={UNREACHABLE_ALERT_MINUTES.max}
                step={1}
                defaultValue={preferences.unreachableAlertMinutes ?? UNREACHABLE_ALERT_MINUTES.default}
                onBlur={(e) => {
                  const minutes = Number(e.target.value);
                  if (Number.isInteger(minutes) && minutes !== preferences.unreachableAlertMinutes) {
                    void save({ unreachableAlertMinutes: minutes });
                  }
                }}
              />
            )}
          </FormField>
        )}
      </section>
    </div>
  );
}
