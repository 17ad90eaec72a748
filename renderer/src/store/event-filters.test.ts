// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { event } from '../test-support/fake-bridge.ts';
import {
  countByType,
  filterCounts,
  filterEvents,
  isFiltering,
  NO_FILTERS,
  typeCategory,
} from './event-filters.ts';

const events = [
  event({
    id: 'assigned',
    type: 'ocr.task.assigned',
    taskId: 7,
    title: 'Task 7 assigned: invoice_0042.pdf',
    documentName: 'invoice_0042.pdf',
  }),
  event({
    id: 'error',
    type: 'ocr.error.occurred',
    subject: 'Page 3 unreadable',
    message: 'Blurred scan',
    title: 'OCR error: Page 3 unreadable',
    unread: false,
  }),
  event({
    id: 'unknown',
    type: 'ocr.model.retrained',
    known: false,
    title: 'Model v12',
    message: 'Accuracy up',
  }),
  event({
    id: 'batch',
    type: 'ocr.batch.processed',
    title: 'Batch processed: box 3',
    body: '480 pages',
    unread: false,
  }),
];
const ids = (list: readonly { id: string }[]) => list.map((e) => e.id);

describe('filterEvents', () => {
  it('lets everything through without filters (the same array)', () => {
    expect(isFiltering(NO_FILTERS)).toBe(false);
    expect(filterEvents(events, NO_FILTERS)).toBe(events);
  });

  it('filters by type category; unknown types are "other"', () => {
    expect(typeCategory(events[2] ?? event())).toBe('other');
    expect(ids(filterEvents(events, { ...NO_FILTERS, types: ['other', 'ocr.error.occurred'] }))).toEqual([
      'error',
      'unknown',
    ]);
  });

  it('searches subject, message, document and task id, every word', () => {
    const search = (text: string) => ids(filterEvents(events, { ...NO_FILTERS, text }));
    expect(search('INVOICE')).toEqual(['assigned']);
    expect(search('blurred')).toEqual(['error']);
    expect(search('task 7')).toEqual(['assigned']);
    expect(search('#7')).toEqual(['assigned']);
    expect(search('page unreadable')).toEqual(['error']);
    expect(search('accuracy')).toEqual(['unknown']);
    expect(search('480')).toEqual(['batch']);
    expect(search('nothing')).toEqual([]);
  });

  it('shows unread only', () => {
    expect(ids(filterEvents(events, { ...NO_FILTERS, unreadOnly: true }))).toEqual(['assigned', 'unknown']);
  });
});

describe('counts', () => {
  it('counts events per type category', () => {
    expect(Object.fromEntries(countByType(events))).toEqual({
      'ocr.task.assigned': 1,
      'ocr.error.occurred': 1,
      other: 1,
      'ocr.batch.processed': 1,
    });
  });

  it('says how many events the filters hide, and how many each one alone hides', () => {
    const filters = { types: ['ocr.error.occurred', 'ocr.task.assigned'], text: '', unreadOnly: true };
    const shown = filterEvents(events, filters);
    expect(ids(shown)).toEqual(['assigned']);
    expect(filterCounts(events, shown.length, filters)).toEqual({
      total: 4,
      shown: 1,
      hidden: 3,
      hiddenBy: { types: 2, text: 0, unreadOnly: 2 },
    });
  });
});
