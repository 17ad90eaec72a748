// What "About Annotray" in the tray menu shows: the version, what it runs on (for a bug
// report), where the log file is, and who manages the configuration when an admin does.

import type { MessageBoxOptions } from 'electron';

export interface AboutFacts {
  readonly version: string;
  /** process.versions in Electron's main process. */
  readonly versions: { readonly electron: string; readonly chrome: string; readonly node: string };
  readonly logFile: string;
  /** describeManagedSources()'s wording, when an admin's configuration applies. */
  readonly managedBy?: string | undefined;
}

export function aboutDialog(facts: AboutFacts): MessageBoxOptions {
  const { version, versions, logFile, managedBy } = facts;
  return {
    type: 'info',
    title: 'About Annotray',
    message: `Annotray ${version}`,
    detail: [
      'Native notifications for OCR annotation work, from Label Studio notification streams.',
      `Electron ${versions.electron} · Chromium ${versions.chrome} · Node ${versions.node}`,
      `Log file: ${logFile}`,
      ...(managedBy ? [`Managed by ${managedBy}`] : []),
    ].join('\n'),
    buttons: ['OK'],
  };
}
