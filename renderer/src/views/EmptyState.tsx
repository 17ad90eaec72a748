// A centred message for a list or window with nothing to show: what is going on, what to do.

import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon.tsx';

export function EmptyState({
  icon,
  title,
  children,
  actions,
  tone = 'neutral',
}: {
  icon: IconName;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  tone?: 'neutral' | 'error' | 'accent';
}) {
  return (
    <section className={`empty-state empty-${tone}`} aria-label={title}>
      <span className="empty-icon">
        <Icon name={icon} />
      </span>
      <h2>{title}</h2>
      {children && <div className="empty-text">{children}</div>}
      {actions && <div className="empty-actions">{actions}</div>}
    </section>
  );
}
