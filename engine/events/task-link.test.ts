import { describe, expect, it } from 'vitest';
import { buildTaskUrl, DEFAULT_TASK_URL, parseId, validateTaskUrlTemplate } from './task-link.ts';

describe('task links', () => {
  it('builds the Label Studio link from ids', () => {
    expect(buildTaskUrl(DEFAULT_TASK_URL, 'https://ls.example.com', { task_id: 7, project_id: '3' })).toBe(
      'https://ls.example.com/projects/3/data?task=7',
    );
  });

  it('gives no link when an id is missing or not a positive integer', () => {
    expect(buildTaskUrl(DEFAULT_TASK_URL, 'https://h', { task_id: 7 })).toBeUndefined();
    for (const bad of [0, -1, 1.5, '7a', '', null, {}, [], '1e3', Number.MAX_SAFE_INTEGER + 2]) {
      expect(buildTaskUrl(DEFAULT_TASK_URL, 'https://h', { task_id: bad, project_id: 1 })).toBeUndefined();
    }
  });

  it('cannot be steered by a payload to another path, host or scheme', () => {
    for (const attack of [
      '../../admin',
      '7/../../x',
      '7?evil=1',
      '//evil.example',
      'javascript:alert(1)',
      '7#x',
      ' 7',
    ]) {
      expect(buildTaskUrl(DEFAULT_TASK_URL, 'https://h', { task_id: attack, project_id: 1 })).toBeUndefined();
    }
  });

  it('validates templates when settings are saved', () => {
    expect(validateTaskUrlTemplate('{server}/tasks/{task_id}')).toBeTruthy();
    expect(() => validateTaskUrlTemplate('{server}/x/{document_name}')).toThrow(/may use/);
    expect(() => validateTaskUrlTemplate('javascript:{task_id}')).toThrow(/http/);
    expect(() => validateTaskUrlTemplate('no url')).toThrow(/URL/);
  });

  it('parses ids strictly', () => {
    expect(parseId(42)).toBe(42);
    expect(parseId('42')).toBe(42);
    expect(parseId('0042')).toBe(42);
    expect(parseId(true)).toBeUndefined();
  });
});
