import { describe, expect, it } from 'vitest';
import { aboutDialog } from './about-dialog.ts';

const facts = {
  version: '0.1.0',
  versions: { electron: '45.4.1', chrome: '142.0.7444.0', node: '22.20.0' },
  logFile: '/home/ann/.config/Annotray/logs/annotray.log',
};

describe('aboutDialog', () => {
  it('gives the version, what it runs on and the log file', () => {
    expect(aboutDialog(facts)).toEqual({
      type: 'info',
      title: 'About Annotray',
      message: 'Annotray 0.1.0',
      detail: [
        'Native notifications for OCR annotation work, from Label Studio notification streams.',
        'Electron 45.4.1 · Chromium 142.0.7444.0 · Node 22.20.0',
        'Log file: /home/ann/.config/Annotray/logs/annotray.log',
      ].join('\n'),
      buttons: ['OK'],
    });
  });

  it('says who manages the configuration when an admin does', () => {
    expect(
      aboutDialog({ ...facts, managedBy: '/etc/annotray/config.json' })
        .detail?.split('\n')
        .at(-1),
    ).toBe('Managed by /etc/annotray/config.json');
    expect(aboutDialog({ ...facts, managedBy: undefined }).detail).not.toContain('Managed by');
  });
});
