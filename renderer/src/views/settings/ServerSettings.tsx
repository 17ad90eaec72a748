// The configured servers, each with its channels and token state, and the form to add or
// edit one. The token itself never reaches the window: only whether one is stored.

import { useState } from 'react';
import type { ServerDto } from '../../../../contract/dto.ts';
import { useApp } from '../../store/store-context.ts';
import { Icon } from '../Icon.tsx';
import { ServerForm } from './ServerForm.tsx';

/** A stable empty list: a selector must not return a new array on every call. */
const NO_SERVERS: readonly ServerDto[] = [];

const SCHEME_LABEL: Record<ServerDto['authScheme'], string> = {
  auto: 'automatic',
  token: 'legacy token',
  pat: 'personal access token',
  bearer: 'bearer token',
};

function ServerCard({ server, onEdit }: { server: ServerDto; onEdit: () => void }) {
  const removeServer = useApp((s) => s.removeServer);
  const [confirming, setConfirming] = useState(false);
  return (
    <li className="server-card">
      <div className="server-card-main">
        <span className="server-card-icon" aria-hidden="true">
          <Icon name="server" />
        </span>
        <div className="server-card-text">
          <strong>{server.name || server.url}</strong>
          <span className="muted break-anywhere">{server.url}</span>
          <span className="server-card-meta">
            {server.channels.map((c) => (
              <span key={c} className="pill">
                {c}
              </span>
            ))}
            <span className="muted">
              <Icon name="key" />{' '}
              {server.hasToken
                ? `Token${server.tokenHint ? ` ••••${server.tokenHint}` : ' stored'} · ${SCHEME_LABEL[server.authScheme]}`
                : 'No token'}
            </span>
          </span>
        </div>
      </div>
      <div className="server-card-actions">
        {confirming ? (
          <>
            <span className="muted">Remove this server?</span>
            <button
              type="button"
              className="button button-small button-danger"
              onClick={() => void removeServer(server.id)}
            >
              Remove
            </button>
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => setConfirming(false)}
            >
              Keep
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              className="button button-small"
              onClick={onEdit}
              aria-label={`Edit ${server.name || server.url}`}
            >
              <Icon name="edit" /> Edit
            </button>
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => setConfirming(true)}
              aria-label={`Remove ${server.name || server.url}`}
            >
              <Icon name="trash" /> Remove
            </button>
          </>
        )}
      </div>
    </li>
  );
}

export function ServerSettings({ startAdding }: { startAdding: boolean }) {
  const servers = useApp((s) => s.settings?.servers ?? NO_SERVERS);
  const demo = useApp((s) => s.demo);
  // 'new', a server id being edited, or null.
  const [editing, setEditing] = useState<string | null>(startAdding ? 'new' : null);
  const editedServer = servers.find((s) => s.id === editing);

  if (editing === 'new' || editedServer) {
    return (
      <ServerForm
        key={editing ?? ''}
        {...(editedServer ? { server: editedServer } : {})}
        onDone={() => setEditing(null)}
      />
    );
  }
  return (
    <div className="settings-section">
      {servers.length === 0 ? (
        <div className="settings-empty">
          <p>
            <strong>No server yet.</strong>{' '}
            {demo
              ? 'The window shows a demo feed until you add one.'
              : 'Add your Label Studio server to start.'}
          </p>
        </div>
      ) : (
        <ul className="server-list">
          {servers.map((server) => (
            <ServerCard key={server.id} server={server} onEdit={() => setEditing(server.id)} />
          ))}
        </ul>
      )}
      <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
        <Icon name="plus" /> Add a server
      </button>
    </div>
  );
}
