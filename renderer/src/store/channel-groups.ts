// The sidebar's view of main's channel list: grouped by server in main's order, with the
// totals "All channels" shows. Sums only: each count is the engine's.

import type { ChannelDto } from '../../../contract/dto.ts';

export interface ServerGroup {
  readonly serverId: string;
  readonly serverName: string;
  readonly channels: readonly ChannelDto[];
}

export function groupByServer(channels: readonly ChannelDto[]): ServerGroup[] {
  const groups = new Map<string, { serverId: string; serverName: string; channels: ChannelDto[] }>();
  for (const channel of channels) {
    let group = groups.get(channel.serverId);
    if (!group) {
      group = { serverId: channel.serverId, serverName: channel.serverName, channels: [] };
      groups.set(channel.serverId, group);
    }
    group.channels.push(channel);
  }
  return [...groups.values()];
}

export function totalUnread(channels: readonly ChannelDto[]): number {
  return channels.reduce((sum, c) => sum + c.unread, 0);
}

/** Every channel has stopped retrying: nothing will arrive until the person acts. */
export function everyChannelFailed(channels: readonly ChannelDto[]): boolean {
  return channels.length > 0 && channels.every((c) => c.state.kind === 'failed');
}
