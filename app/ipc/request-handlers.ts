// The shape every area's handlers share: one async function per invoke channel of the
// contract, given the request already validated by its schema (AppCore.handle does that).

import type { InvokeChannel, InvokeRequest, InvokeResponse } from '../../contract/ipc-contract.ts';

export type RequestHandlers<K extends InvokeChannel = InvokeChannel> = {
  [C in K]: (request: InvokeRequest<C>) => Promise<InvokeResponse<C>>;
};
