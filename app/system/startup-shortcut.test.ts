import { describe, expect, it } from 'vitest';
import { type GlobalShortcutLike, ShortcutBinding } from './shortcut.ts';
import { bindStartupShortcut } from './startup-shortcut.ts';

function start(accelerator: string, free: boolean) {
  const registered: string[] = [];
  const shortcuts: GlobalShortcutLike = {
    register: (a) => {
      if (free) registered.push(a);
      return free;
    },
    unregister: () => {},
  };
  const logged: unknown[] = [];
  const problems: [string, string][] = [];
  bindStartupShortcut({
    shortcut: new ShortcutBinding(shortcuts, () => {}),
    accelerator,
    logger: { log: (...args) => logged.push(args) },
    problems: { reportSystemProblem: (area, problem) => problems.push([area, problem]) },
  });
  return { registered, logged, problems };
}

describe('bindStartupShortcut', () => {
  it('binds a free shortcut and says nothing', () => {
    expect(start('CommandOrControl+Alt+Shift+N', true)).toEqual({
      registered: ['CommandOrControl+Alt+Shift+N'],
      logged: [],
      problems: [],
    });
  });

  it('logs a shortcut another application holds and explains it in Settings', () => {
    const problem =
      'CommandOrControl+Alt+Shift+N is already used by another application (or the desktop does not allow global shortcuts)';
    expect(start('CommandOrControl+Alt+Shift+N', false)).toEqual({
      registered: [],
      logged: [
        [
          'warn',
          'the global shortcut is not available',
          { shortcut: 'CommandOrControl+Alt+Shift+N', problem },
        ],
      ],
      problems: [
        [
          'shortcut',
          `The shortcut that shows the window does not work: ${problem}. Choose another in General.`,
        ],
      ],
    });
  });

  it('explains an accelerator Electron would not take, without trying it', () => {
    const { registered, problems } = start('Ctrl+Hyper+N', true);
    expect(registered).toEqual([]);
    expect(problems).toEqual([
      [
        'shortcut',
        'The shortcut that shows the window does not work: "Hyper" is not a modifier (use CommandOrControl, Alt, Shift, Super). Choose another in General.',
      ],
    ]);
  });

  it('binds nothing and says nothing when no shortcut is wanted', () => {
    expect(start('', true)).toEqual({ registered: [], logged: [], problems: [] });
  });
});
