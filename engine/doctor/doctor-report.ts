// What `annotray doctor` finds out, and how it reads in a terminal: one line per check, with
// what was seen and what to change indented below it, so an admin can act without reading code.

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export type CheckId =
  | 'settings'
  | 'dns'
  | 'tcp'
  | 'tls'
  | 'auth'
  | 'redirects'
  | 'headers'
  | 'status'
  | 'content-type'
  | 'body'
  | 'buffering'
  | 'idle';

/** The checks in the order they run; every report lists all of them. */
export const CHECK_ORDER: readonly CheckId[] = [
  'settings',
  'dns',
  'tcp',
  'tls',
  'auth',
  'redirects',
  'headers',
  'status',
  'content-type',
  'body',
  'buffering',
  'idle',
];

export const CHECK_NAMES: Readonly<Record<CheckId, string>> = {
  settings: 'Settings',
  dns: 'DNS',
  tcp: 'TCP',
  tls: 'TLS',
  auth: 'Authentication',
  redirects: 'Redirects',
  headers: 'Headers',
  status: 'Status',
  'content-type': 'Content type',
  body: 'Body',
  buffering: 'Buffering',
  idle: 'Idle timeout',
};

export interface DoctorCheck {
  id: string;
  status: CheckStatus;
  /** One line, starting with the area: "Status: 401 Unauthorized: the token is missing or wrong". */
  title: string;
  /** What was observed, for a person; may span lines. */
  detail: string;
  /** What to change, when there is something to change. */
  fix?: string;
}

export interface DoctorReport {
  url: string;
  checks: DoctorCheck[];
  /** The worst status of the checks (a skipped check never makes a report worse than ok). */
  verdict: CheckStatus;
}

const SEVERITY: Readonly<Record<CheckStatus, number>> = { skip: 0, ok: 1, warn: 2, fail: 3 };

export function worstStatus(statuses: Iterable<CheckStatus>): CheckStatus {
  let worst: CheckStatus = 'skip';
  for (const status of statuses) if (SEVERITY[status] > SEVERITY[worst]) worst = status;
  return worst;
}

export function makeReport(url: string, checks: DoctorCheck[]): DoctorReport {
  return { url, checks, verdict: worstStatus(checks.map((check) => check.status)) };
}

/** A check that did not run because an earlier one decided the outcome; one line, no detail. */
export function skippedCheck(id: CheckId, why = 'an earlier check failed'): DoctorCheck {
  return { id, status: 'skip', title: `${CHECK_NAMES[id]}: not checked (${why})`, detail: '' };
}

const LABELS: Readonly<Record<CheckStatus, string>> = {
  ok: ' ok ',
  warn: 'warn',
  fail: 'FAIL',
  skip: 'skip',
};
const INDENT = '       ';
const WIDTH = 100;

/**
 * Word-wraps text to the terminal width, paragraph by paragraph; words longer than a line (URLs)
 * stay whole, and a `- ` bullet's continuation lines align with its text.
 */
function wrap(text: string, indent: string, firstPrefix = ''): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = lines.length === 0 ? indent + firstPrefix : indent;
    const continuation = paragraph.startsWith('- ') ? `${indent}  ` : indent;
    let empty = true;
    for (const word of paragraph.split(/ +/)) {
      if (!empty && line.length + 1 + word.length > WIDTH) {
        lines.push(line);
        line = continuation + word;
      } else {
        line += empty ? word : ` ${word}`;
      }
      empty = false;
    }
    lines.push(line);
  }
  return lines;
}

function summary(report: DoctorReport): string {
  const failed = report.checks.filter((check) => check.status === 'fail').length;
  const warned = report.checks.filter((check) => check.status === 'warn').length;
  const counts = [
    failed > 0 ? `${failed} failed` : '',
    warned > 0 ? `${warned} ${warned === 1 ? 'warning' : 'warnings'}` : '',
  ].filter(Boolean);
  switch (report.verdict) {
    case 'fail':
      return `Verdict: FAIL (${counts.join(', ')}). Fix the first failed check first: later ones often follow from it.`;
    case 'warn':
      return `Verdict: works, with ${counts.join(', ')}: see the fixes above.`;
    case 'ok':
      return 'Verdict: ok. The stream is reachable and looks healthy.';
    case 'skip':
      return 'Verdict: nothing was checked.';
  }
}

/** Renders a report for a terminal: one line per check, its detail and fix indented below. */
export function formatDoctorReport(report: DoctorReport): string {
  const lines = [`Annotray doctor: ${report.url}`, ''];
  for (const check of report.checks) {
    lines.push(`[${LABELS[check.status]}] ${check.title}`);
    if (check.detail) lines.push(...wrap(check.detail, INDENT));
    if (check.fix?.includes('\n')) lines.push(`${INDENT}Fix:`, ...wrap(check.fix, `${INDENT}  `));
    else if (check.fix) lines.push(...wrap(check.fix, INDENT, 'Fix: '));
  }
  lines.push('', summary(report));
  return `${lines.join('\n')}\n`;
}
