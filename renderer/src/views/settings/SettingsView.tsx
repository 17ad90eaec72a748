// Settings: servers, notifications, general. Says when an admin manages part of them and
// when tokens cannot be encrypted on this computer.

import { useState } from 'react';
import { useApp } from '../../store/store-context.ts';
import { Icon } from '../Icon.tsx';
import { GeneralSettings } from './GeneralSettings.tsx';
import { NotificationSettings } from './NotificationSettings.tsx';
import { ServerSettings } from './ServerSettings.tsx';

type Tab = 'servers' | 'notifications' | 'general';
const TABS: { id: Tab; label: string }[] = [
  { id: 'servers', label: 'Servers' },
  { id: 'notifications', label: 'Notifications' },
  { id: 'general', label: 'General' },
];

export function SettingsView({ onMenu }: { onMenu: () => void }) {
  const settings = useApp((s) => s.settings);
  const showView = useApp((s) => s.showView);
  const noServers = useApp((s) => (s.settings?.servers.length ?? 0) === 0);
  const [tab, setTab] = useState<Tab>('servers');

  return (
    <section className="settings-view" aria-label="Settings">
      <header className="toolbar">
        <button type="button" className="icon-button menu-button" aria-label="Show channels" onClick={onMenu}>
          <Icon name="menu" />
        </button>
        <div className="toolbar-title">
          <h1>Settings</h1>
        </div>
        <button type="button" className="button button-quiet" onClick={() => showView('events')}>
          <Icon name="back" />
          <span>Events</span>
        </button>
      </header>
      <div className="tabs" role="tablist" aria-label="Settings sections">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className="tab"
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => {
              const at = TABS.findIndex((x) => x.id === tab);
              const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (delta === 0) return;
              const next = TABS[(at + delta + TABS.length) % TABS.length];
              if (!next) return;
              setTab(next.id);
              document.getElementById(`tab-${next.id}`)?.focus();
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="settings-scroll" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {settings?.managedBy && (
          <p className="callout callout-info">
            <Icon name="info" />
            <span>Some settings are managed by {settings.managedBy}.</span>
          </p>
        )}
        {settings?.keyringWarning && (
          <p className="callout callout-warn">
            <Icon name="key" />
            <span>{settings.keyringWarning}</span>
          </p>
        )}
        {settings?.systemProblems?.map((problem) => (
          <p key={problem} className="callout callout-warn" role="alert">
            <Icon name="info" />
            <span>{problem}</span>
          </p>
        ))}
        {!settings ? (
          <p className="muted">Loading settings…</p>
        ) : tab === 'servers' ? (
          <ServerSettings startAdding={noServers} />
        ) : tab === 'notifications' ? (
          <NotificationSettings preferences={settings.preferences} />
        ) : (
          <GeneralSettings preferences={settings.preferences} />
        )}
      </div>
    </section>
  );
}
