// A SaveResult a test expects to have succeeded: its value, or a failure that shows main's
// field errors instead of "cannot read properties of undefined".

import type { SaveResult } from '../../contract/dto.ts';

export function succeeded<T>(result: SaveResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.errors)}`);
  return result.value;
}
