// Sample OCR events for the demo feed, shaped like Label Studio's notification context:
// a task is assigned, annotated region by region, completed; batches finish; sometimes a page
// cannot be read. Deterministic in `seq`, so tests know what comes.

export const DEMO_PROJECT_ID = 3;
export const DEMO_USER = 42;

const DOCUMENTS = [
  'invoice_0042.pdf',
  'receipt_0193.png',
  'contract_2291.pdf',
  'delivery_note_0877.tiff',
  'bank_statement_0315.pdf',
  'id_card_scan_0021.jpg',
] as const;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Label Studio's `message_time`: a naive ISO-8601 local time with microseconds. */
export function naiveLocalIso(epochMs: number): string {
  const d = new Date(epochMs);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}000`;
  return `${date}T${time}`;
}

/** The steps of one task's story, one event per tick; batches and errors in between. */
const STEPS = ['assigned', 'progress-1', 'progress-2', 'completed', 'batch', 'error'] as const;

/** The `seq`-th demo event (0-based). */
export function demoEvent(seq: number, now: number): Record<string, unknown> {
  const round = Math.floor(seq / STEPS.length);
  const step = STEPS[seq % STEPS.length] ?? 'assigned';
  const taskId = 100 + round;
  const document = DOCUMENTS[round % DOCUMENTS.length] ?? DOCUMENTS[0];
  const base = { message_time: naiveLocalIso(now), user: DEMO_USER, project_id: DEMO_PROJECT_ID };
  const total = 12;
  switch (step) {
    case 'assigned':
      return {
        ...base,
        event_type: 'ocr.task.assigned',
        subject: 'New OCR Task Assigned',
        message: `Document '${document}' assigned for annotation`,
        task_id: taskId,
        document_name: document,
      };
    case 'progress-1':
    case 'progress-2': {
      const done = step === 'progress-1' ? 4 : 9;
      return {
        ...base,
        event_type: 'ocr.annotation.started',
        subject: 'OCR Annotation Progress',
        message: `Task ${taskId}: ${done}/${total} regions completed`,
        task_id: taskId,
        document_name: document,
        progress: { regions_completed: done, total_regions: total },
      };
    }
    case 'completed':
      return {
        ...base,
        event_type: 'ocr.annotation.completed',
        subject: 'OCR Annotation Completed',
        message: `All ${total} regions of '${document}' annotated`,
        task_id: taskId,
        document_name: document,
      };
    case 'batch':
      return {
        ...base,
        event_type: 'ocr.batch.processed',
        subject: `Batch ${round + 1} of the demo project`,
        message: `${24 + round} documents processed, ${round % 3} need review`,
        batch_id: `demo-${round + 1}`,
      };
    case 'error':
      // Every other round, so errors stay the exception they are.
      if (round % 2 === 1) {
        return {
          ...base,
          event_type: 'ocr.error.occurred',
          subject: 'Page unreadable',
          message: `OCR failed on '${document}' page 3: the scan is too dark (contrast 0.12)`,
          task_id: taskId,
          document_name: document,
        };
      }
      return {
        ...base,
        event_type: 'ocr.task.assigned',
        subject: 'New OCR Task Assigned',
        message: `Document '${document}' assigned for review`,
        task_id: taskId + 1000,
        document_name: document,
      };
  }
}
