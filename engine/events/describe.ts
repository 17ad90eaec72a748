// The words a person reads in a notification and in the list: short, specific, and built
// only from the event's own fields (never HTML; the views render text).

import { clipText } from '../text/clip.ts';
import type { KnownEventType, Progress } from './ocr-event.ts';

export interface EventFacts {
  readonly type: string;
  readonly subject?: string;
  readonly message?: string;
  readonly taskId?: number;
  readonly documentName?: string;
  readonly progress?: Progress;
}

function progressText(progress: Progress | undefined): string | undefined {
  if (!progress) return undefined;
  if (progress.done !== undefined && progress.total !== undefined)
    return `${progress.done}/${progress.total}`;
  if (progress.ratio !== undefined) return `${Math.round(progress.ratio * 100)}%`;
  return undefined;
}

function taskLabel(facts: EventFacts): string {
  return facts.taskId !== undefined ? `Task ${facts.taskId}` : 'A task';
}

function withDocument(head: string, facts: EventFacts): string {
  return facts.documentName ? `${head}: ${facts.documentName}` : head;
}

const TITLES: Record<KnownEventType, (facts: EventFacts) => string> = {
  'ocr.task.assigned': (f) => withDocument(`${taskLabel(f)} assigned`, f),
  'ocr.annotation.started': (f) => {
    const progress = progressText(f.progress);
    return withDocument(`${taskLabel(f)} in progress${progress ? ` (${progress})` : ''}`, f);
  },
  'ocr.annotation.completed': (f) => withDocument(`${taskLabel(f)} annotated`, f),
  'ocr.batch.processed': (f) => (f.subject ? `Batch processed: ${f.subject}` : 'OCR batch processed'),
  'ocr.error.occurred': (f) => (f.subject ? `OCR error: ${f.subject}` : 'OCR error'),
};

/** Title and body for an event; unknown types fall back to subject and message. */
export function describeEvent(facts: EventFacts, known: boolean): { title: string; body: string } {
  const describeKnown = known ? TITLES[facts.type as KnownEventType] : undefined;
  const title = describeKnown ? describeKnown(facts) : (facts.subject ?? facts.type);
  const body = facts.message ?? (known ? (facts.subject ?? '') : '');
  return { title: clipText(title, 200), body: clipText(body === title ? '' : body, 1000) };
}
