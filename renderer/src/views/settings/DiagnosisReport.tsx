// The result of "Test connection": each check the doctor ran, its outcome, and what to fix.

import type { CheckStatusDto, DiagnosisDto } from '../../../../contract/dto.ts';
import { Icon, type IconName } from '../Icon.tsx';

const STATUS: Record<CheckStatusDto, { icon: IconName; label: string }> = {
  ok: { icon: 'check-circle', label: 'Passed' },
  warn: { icon: 'alert', label: 'Warning' },
  fail: { icon: 'x-circle', label: 'Failed' },
  skip: { icon: 'minus-circle', label: 'Skipped' },
};

const VERDICT: Record<CheckStatusDto, string> = {
  ok: 'The connection works',
  warn: 'The connection works, with warnings',
  fail: 'The connection does not work',
  skip: 'Nothing was tested',
};

export function DiagnosisReport({ diagnosis }: { diagnosis: DiagnosisDto }) {
  return (
    <section className={`diagnosis verdict-${diagnosis.verdict}`} aria-label="Connection test result">
      <header className="diagnosis-header">
        <Icon name={STATUS[diagnosis.verdict].icon} />
        <div>
          <strong>{VERDICT[diagnosis.verdict]}</strong>
          <span className="diagnosis-url">{diagnosis.url}</span>
        </div>
      </header>
      <ol className="checks">
        {diagnosis.checks.map((check) => (
          <li key={check.id} className={`check check-${check.status}`}>
            <span className="check-status" title={STATUS[check.status].label}>
              <Icon name={STATUS[check.status].icon} />
              <span className="visually-hidden">{STATUS[check.status].label}: </span>
            </span>
            <div className="check-text">
              <span className="check-title">{check.title}</span>
              {check.detail && <span className="check-detail">{check.detail}</span>}
              {check.fix && (
                <span className="check-fix">
                  <strong>Fix: </strong>
                  {check.fix}
                </span>
              )}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
