// The tray's menu model → Electron's menu template, each action wired to its handler.

import type { MenuItemConstructorOptions } from 'electron';
import type { MenuItemModel, TrayAction } from './tray-model.ts';

export function menuTemplate(
  items: readonly MenuItemModel[],
  run: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    if (item.type === 'submenu') return { label: item.label, submenu: menuTemplate(item.submenu, run) };
    const action = item.action;
    return { label: item.label, enabled: item.enabled, ...(action ? { click: () => run(action) } : {}) };
  });
}
