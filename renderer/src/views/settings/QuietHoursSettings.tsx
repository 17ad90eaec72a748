// Quiet hours: a weekly schedule of silence. A from–to time that starts on the chosen days
// (18:00–08:00 started on Friday ends on Saturday morning) and days that are quiet all day.
// Events keep arriving and counting as unread; errors follow "errors always notify".

import { useId } from 'react';
import type { PreferencesDto, QuietHoursDto } from '../../../../contract/dto.ts';
import { clockTime } from '../../format/time-text.ts';
import { FormField, Toggle } from './FormField.tsx';

/** Monday first, as most calendars here show it; values are Date.getDay() numbers. */
const WEEK: readonly { day: number; short: string; name: string }[] = [
  { day: 1, short: 'Mon', name: 'Monday' },
  { day: 2, short: 'Tue', name: 'Tuesday' },
  { day: 3, short: 'Wed', name: 'Wednesday' },
  { day: 4, short: 'Thu', name: 'Thursday' },
  { day: 5, short: 'Fri', name: 'Friday' },
  { day: 6, short: 'Sat', name: 'Saturday' },
  { day: 0, short: 'Sun', name: 'Sunday' },
];

function toggled(days: readonly number[], day: number): number[] {
  return days.includes(day) ? days.filter((d) => d !== day) : [...days, day].sort();
}

/** "Quiet now, until 08:00", or what the schedule is when it is not quiet. */
export function quietState(p: PreferencesDto): string {
  if (!p.quietHours.enabled) return 'Quiet hours are off.';
  if (p.quietNow) {
    return p.quietNow.until === null
      ? 'Quiet now.'
      : `Quiet now, until ${clockTime(p.quietNow.until)}${new Date(p.quietNow.until).toDateString() === new Date().toDateString() ? '' : ` on ${new Date(p.quietNow.until).toLocaleDateString(undefined, { weekday: 'long' })}`}.`;
  }
  return 'Quiet hours are on; it is not quiet now.';
}

function DayPicker({
  legend,
  days,
  disabled,
  onChange,
}: {
  legend: string;
  days: readonly number[];
  disabled: boolean;
  onChange: (days: number[]) => void;
}) {
  return (
    <fieldset className="segmented day-picker" disabled={disabled}>
      <legend>{legend}</legend>
      {WEEK.map((d) => (
        <button
          key={d.day}
          type="button"
          className="button button-small"
          aria-pressed={days.includes(d.day)}
          aria-label={d.name}
          onClick={() => onChange(toggled(days, d.day))}
        >
          {d.short}
        </button>
      ))}
    </fieldset>
  );
}

export function QuietHoursSettings({
  preferences,
  errors,
  save,
}: {
  preferences: PreferencesDto;
  errors: readonly string[];
  save: (quietHours: QuietHoursDto) => void;
}) {
  const q = preferences.quietHours;
  const headingId = useId();
  const change = (c: Partial<QuietHoursDto>) => save({ ...q, ...c });
  return (
    <section className="settings-group" aria-labelledby={headingId}>
      <h3 id={headingId}>Quiet hours</h3>
      <p className="settings-state" role="status">
        {quietState(preferences)}
        {q.enabled && preferences.errorsAlwaysNotify ? ' Errors still notify.' : ''}
      </p>
      <Toggle
        label="Quiet hours"
        hint="Notifications stay silent on this schedule, in this computer's time zone. Events are still listed and counted as unread."
        checked={q.enabled}
        onChange={(enabled) => change({ enabled })}
      />
      <div className="quiet-times">
        <FormField label="From">
          {(control) => (
            <input
              {...control}
              type="time"
              step={60}
              value={q.from}
              disabled={!q.enabled}
              onChange={(e) => e.target.value && change({ from: e.target.value })}
            />
          )}
        </FormField>
        <FormField label="To" hint="Earlier than From: it ends the next morning.">
          {(control) => (
            <input
              {...control}
              type="time"
              step={60}
              value={q.to}
              disabled={!q.enabled}
              onChange={(e) => e.target.value && change({ to: e.target.value })}
            />
          )}
        </FormField>
      </div>
      <DayPicker
        legend="Starting on"
        days={q.days}
        disabled={!q.enabled}
        onChange={(days) => change({ days })}
      />
      <DayPicker
        legend="Quiet all day on"
        days={q.allDay}
        disabled={!q.enabled}
        onChange={(allDay) => change({ allDay })}
      />
      {errors.length > 0 && (
        <p className="form-error" role="alert">
          {errors.join(' ')}
        </p>
      )}
    </section>
  );
}
