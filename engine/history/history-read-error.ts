// How a HistoryStore says that a stored history exists but cannot be used.

/**
 * The stored history could not be used. `keptAside`: it was moved aside, so writing a new one
 * loses nothing; otherwise it is still in place, unread, and must not be overwritten.
 */
export class HistoryReadError extends Error {
  readonly keptAside: boolean;
  constructor(message: string, keptAside: boolean) {
    super(message);
    this.name = 'HistoryReadError';
    this.keptAside = keptAside;
  }
}
