// A short message about something that just happened (a refused link, a failed request),
// shown at the bottom of the window for a few seconds.

import { useEffect } from 'react';
import { useApp } from '../store/store-context.ts';
import { Icon } from './Icon.tsx';

const SHOWN_MS = 7_000;

export function NoticeToast() {
  const notice = useApp((s) => s.notice);
  const dismiss = useApp((s) => s.dismissNotice);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(dismiss, SHOWN_MS);
    return () => clearTimeout(timer);
  }, [notice, dismiss]);
  if (!notice) return null;
  return (
    <div className={`toast toast-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
      <Icon name={notice.tone === 'error' ? 'alert' : 'info'} />
      <span className="toast-text">{notice.text}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={dismiss}>
        <Icon name="close" />
      </button>
    </div>
  );
}
