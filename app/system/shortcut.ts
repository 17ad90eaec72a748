// The global shortcut that shows and hides the window (preferences.shortcut). An accelerator
// is checked before Electron sees it, so a typo is explained instead of thrown, and a
// shortcut another app holds is reported while the previous one stays in place.

/** The part of Electron's globalShortcut used here. */
export interface GlobalShortcutLike {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

const MODIFIERS = new Set([
  'command',
  'cmd',
  'control',
  'ctrl',
  'commandorcontrol',
  'cmdorctrl',
  'alt',
  'option',
  'altgr',
  'shift',
  'super',
  'meta',
]);

const NAMED_KEYS = new Set([
  'plus',
  'space',
  'tab',
  'capslock',
  'numlock',
  'scrolllock',
  'backspace',
  'delete',
  'insert',
  'return',
  'enter',
  'up',
  'down',
  'left',
  'right',
  'home',
  'end',
  'pageup',
  'pagedown',
  'escape',
  'esc',
  'volumeup',
  'volumedown',
  'volumemute',
  'medianexttrack',
  'mediaprevioustrack',
  'mediastop',
  'mediaplaypause',
  'printscreen',
  'numdec',
  'numadd',
  'numsub',
  'nummult',
  'numdiv',
]);

function isKey(part: string): boolean {
  const key = part.toLowerCase();
  return (
    /^[a-z0-9]$/.test(key) ||
    /^f([1-9]|1[0-9]|2[0-4])$/.test(key) ||
    /^num[0-9]$/.test(key) ||
    NAMED_KEYS.has(key) ||
    /^[)!@#$%^&*(:;+=<,_\->.?/~`{\]|[}"'\\]$/.test(part)
  );
}

/** Why an accelerator cannot be a global shortcut, or undefined when it can. */
export function acceleratorProblem(accelerator: string): string | undefined {
  if (accelerator.trim() !== accelerator || accelerator.includes(' '))
    return 'write it without spaces, e.g. CommandOrControl+Alt+Shift+N';
  const parts = accelerator.split('+');
  // "Ctrl++" is Ctrl and the plus key.
  if (accelerator.endsWith('++')) parts.splice(parts.length - 2, 2, '+');
  const key = parts.at(-1) ?? '';
  const modifiers = parts.slice(0, -1);
  const unknown = modifiers.find((m) => !MODIFIERS.has(m.toLowerCase()));
  if (unknown !== undefined)
    return `"${unknown}" is not a modifier (use CommandOrControl, Alt, Shift, Super)`;
  if (!isKey(key)) return `"${key}" is not a key Electron knows`;
  if (modifiers.length === 0 && !/^f\d+$/i.test(key))
    return 'a global shortcut needs a modifier (e.g. CommandOrControl+Alt+Shift+N)';
  return undefined;
}

export class ShortcutBinding {
  readonly #shortcuts: GlobalShortcutLike;
  readonly #onTrigger: () => void;
  #current = '';

  constructor(shortcuts: GlobalShortcutLike, onTrigger: () => void) {
    this.#shortcuts = shortcuts;
    this.#onTrigger = onTrigger;
  }

  get current(): string {
    return this.#current;
  }

  /** Binds `accelerator` ('' for none); returns why it could not, keeping the previous one. */
  set(accelerator: string): string | undefined {
    if (accelerator === this.#current) return undefined;
    if (accelerator !== '') {
      const problem = acceleratorProblem(accelerator);
      if (problem) return problem;
    }
    const previous = this.#current;
    if (previous) this.#shortcuts.unregister(previous);
    this.#current = '';
    if (accelerator === '') return undefined;
    let ok = false;
    try {
      ok = this.#shortcuts.register(accelerator, this.#onTrigger);
    } catch (error) {
      return `${accelerator} cannot be used: ${(error as Error).message}`;
    } finally {
      if (!ok && previous) this.#restore(previous);
    }
    if (!ok)
      return `${accelerator} is already used by another application (or the desktop does not allow global shortcuts)`;
    this.#current = accelerator;
    return undefined;
  }

  dispose(): void {
    if (this.#current) this.#shortcuts.unregister(this.#current);
    this.#current = '';
  }

  #restore(previous: string): void {
    try {
      if (this.#shortcuts.register(previous, this.#onTrigger)) this.#current = previous;
    } catch {
      // The old one was valid a moment ago; if it cannot come back, there is simply none.
    }
  }
}
