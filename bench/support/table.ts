// The table `npm run bench` prints: one line per figure, with its bar and whether it was met.

import type { Figure } from './figure.ts';

function formatValue(figure: Figure): string {
  if (figure.value === null) return '—';
  const v = figure.value;
  const text = Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : String(v);
  return figure.unit === '×' ? `${text}×` : `${text} ${figure.unit}`;
}

function verdict(figure: Figure): string {
  if (figure.met === undefined) return '';
  if (figure.met === null) return 'n/a';
  return figure.met ? 'yes' : 'NO';
}

export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.bench,
    f.label,
    formatValue(f),
    f.target?.text ?? '',
    verdict(f),
    f.note ?? '',
  ]);
  const header = ['bench', 'figure', 'value', 'target', 'met', 'note'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (i === 5 ? 0 : (r[i] ?? '').length))),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) =>
        i === 5 ? cell : i === 2 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
