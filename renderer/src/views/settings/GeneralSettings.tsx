// How Annotray runs: at login, its global shortcut, and what version this is.

import { useState } from 'react';
import type { FieldError, PreferencesDto } from '../../../../contract/dto.ts';
import type { PreferencesInput } from '../../../../contract/ipc-contract.ts';
import { useApp } from '../../store/store-context.ts';
import { FormField, messagesFor, Toggle } from './FormField.tsx';
import { preferencesInput } from './NotificationSettings.tsx';

export function GeneralSettings({ preferences }: { preferences: PreferencesDto }) {
  const setPreferences = useApp((s) => s.setPreferences);
  const version = useApp((s) => s.version);
  const platform = useApp((s) => s.platform);
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  const [shortcut, setShortcut] = useState(preferences.shortcut);
  const [saved, setSaved] = useState(false);

  const save = async (change: Partial<PreferencesInput>): Promise<boolean> => {
    const result = await setPreferences(preferencesInput(preferences, change));
    setErrors(result.ok ? [] : result.errors);
    return result.ok;
  };
  const saveShortcut = async (): Promise<void> => {
    if (shortcut === preferences.shortcut) return;
    setSaved(await save({ shortcut: shortcut.trim() }));
  };

  return (
    <div className="settings-section">
      <section className="settings-group" aria-labelledby="startup-heading">
        <h3 id="startup-heading">Startup</h3>
        <Toggle
          label="Open at login"
          hint="Start Annotray in the tray when you log in."
          checked={preferences.openAtLogin}
          {...(messagesFor(errors, 'openAtLogin')[0]
            ? { error: messagesFor(errors, 'openAtLogin').join(' ') }
            : {})}
          onChange={(on) => void save({ openAtLogin: on })}
        />
      </section>
      <section className="settings-group" aria-labelledby="shortcut-heading">
        <h3 id="shortcut-heading">Keyboard</h3>
        <FormField
          label="Shortcut to show the window"
          errors={messagesFor(errors, 'shortcut')}
          hint="An accelerator such as CommandOrControl+Alt+Shift+N; empty for none. Saved when you leave the field."
        >
          {(control) => (
            <div className="input-with-button">
              <input
                {...control}
                type="text"
                spellCheck={false}
                value={shortcut}
                onChange={(e) => {
                  setShortcut(e.currentTarget.value);
                  setSaved(false);
                }}
                onBlur={() => void saveShortcut()}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') void saveShortcut();
                }}
              />
              {saved && (
                <span className="saved-mark" role="status">
                  Saved
                </span>
              )}
            </div>
          )}
        </FormField>
      </section>
      <section className="settings-group" aria-labelledby="about-heading">
        <h3 id="about-heading">About</h3>
        <p className="muted">
          Annotray {version} on {platform}. Keyboard: ↑ ↓ move through channels and events, Enter opens an
          event, Esc closes it, / searches.
        </p>
      </section>
    </div>
  );
}
