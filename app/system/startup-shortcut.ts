// The preferred global shortcut is bound once Annotray has started. One that cannot be bound
// (another application holds it, or the desktop allows none) is logged and explained in
// Settings, so a window that does not come is never a mystery.

import type { Logger } from '../../engine/ports.ts';

export interface StartupShortcutOptions {
  /** ShortcutBinding (shortcut.ts): binds, or says why it could not. */
  readonly shortcut: { set(accelerator: string): string | undefined };
  readonly accelerator: string;
  readonly logger: Logger;
  /** AppCore: what is shown in Settings. */
  readonly problems: { reportSystemProblem(area: 'shortcut', problem: string): void };
}

export function bindStartupShortcut(options: StartupShortcutOptions): void {
  const { shortcut, accelerator, logger, problems } = options;
  const problem = shortcut.set(accelerator);
  if (!problem) return;
  logger.log('warn', 'the global shortcut is not available', { shortcut: accelerator, problem });
  problems.reportSystemProblem(
    'shortcut',
    `The shortcut that shows the window does not work: ${problem}. Choose another in General.`,
  );
}
