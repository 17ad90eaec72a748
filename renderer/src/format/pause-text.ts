// How a notification pause reads: "until 15:04", "until tomorrow 08:00", "until you resume".

import type { PauseDto } from '../../../contract/dto.ts';
import { clockTime, localDayKey } from './time-text.ts';

/** The end of a pause, as words after "paused"; empty when not paused. */
export function pauseUntilText(pause: PauseDto, now: number): string {
  if (pause.kind === 'none') return '';
  if (pause.kind === 'indefinite') return 'until you resume';
  const sameDay = localDayKey(pause.until) === localDayKey(now);
  return `until ${sameDay ? '' : 'tomorrow '}${clockTime(pause.until)}`;
}
