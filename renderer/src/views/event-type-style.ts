// How each kind of OCR event looks: an icon, a colour (a CSS class per tone) and a name.
// Unknown types share the `other` look; which types exist is the engine's to say.

import type { IconName } from './Icon.tsx';

export interface TypeStyle {
  /** Short, for chips and badges. */
  readonly label: string;
  /** Full, for the notification settings. */
  readonly name: string;
  readonly icon: IconName;
  /** The CSS tone class suffix (`tone-assigned`, …). */
  readonly tone: string;
}

const STYLES: Readonly<Record<string, TypeStyle>> = {
  'ocr.task.assigned': { label: 'Assigned', name: 'Task assigned', icon: 'clipboard', tone: 'assigned' },
  'ocr.annotation.started': {
    label: 'In progress',
    name: 'Annotation started',
    icon: 'pen',
    tone: 'started',
  },
  'ocr.annotation.completed': {
    label: 'Completed',
    name: 'Annotation completed',
    icon: 'check-circle',
    tone: 'completed',
  },
  'ocr.batch.processed': { label: 'Batch', name: 'Batch processed', icon: 'layers', tone: 'batch' },
  'ocr.error.occurred': { label: 'Error', name: 'OCR error', icon: 'alert', tone: 'error' },
  other: { label: 'Other', name: 'Other events', icon: 'bell', tone: 'other' },
};

/** Display order of the type chips and switches. */
export const TYPE_ORDER: readonly string[] = Object.keys(STYLES);

export function typeStyle(category: string): TypeStyle {
  return STYLES[category] ?? { ...(STYLES.other as TypeStyle), label: category, name: category };
}
