// Builders for events in tests: a real normalized event, so tests exercise real wording.

import { normalizeFrame } from '../events/normalize.ts';
import type { OcrEvent } from '../events/ocr-event.ts';
import { DEFAULT_TASK_URL } from '../events/task-link.ts';

let counter = 0;

export function sampleEvent(
  fields: Record<string, unknown> = {},
  channel = 'user_42',
  receivedAt = Date.UTC(2026, 10, 23, 9),
): OcrEvent {
  counter += 1;
  const payload = {
    event_type: 'ocr.task.assigned',
    subject: 'New OCR Task Assigned',
    message: `Document 'doc_${counter}.pdf' assigned for annotation`,
    task_id: counter,
    project_id: 3,
    document_name: `doc_${counter}.pdf`,
    message_time: receivedAt / 1000,
    seq: counter,
    ...fields,
  };
  const result = normalizeFrame(
    { data: JSON.stringify(payload) },
    {
      serverId: 'ls',
      serverUrl: 'https://ls.example.com',
      channel,
      taskUrlTemplate: DEFAULT_TASK_URL,
      receivedAt,
    },
  );
  if (!result.ok) throw new Error(result.reason);
  return result.event;
}
