// `annotray doctor`: runs the diagnosis and prints it, readable or as JSON. Exit 0 when
// nothing failed, 1 when a check failed (warnings alone still exit 0).

import { runDoctor } from '../doctor/doctor.ts';
import { formatDoctorReport } from '../doctor/doctor-report.ts';
import type { DoctorCommand } from './args.ts';

export async function runDoctorCommand(
  command: DoctorCommand,
  io: { readonly stdout: (text: string) => void; readonly stderr: (text: string) => void },
): Promise<number> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  try {
    const report = await runDoctor({
      server: command.server.url,
      channel: command.server.channels[0] ?? '',
      auth: command.server.auth,
      ...(command.server.eventsPath !== undefined ? { eventsPath: command.server.eventsPath } : {}),
      waitMs: command.waitSeconds * 1000,
      ...(command.holdSeconds !== undefined ? { holdMs: command.holdSeconds * 1000 } : {}),
      signal: controller.signal,
    });
    io.stdout(
      command.json ? `${JSON.stringify(report)}\n` : formatDoctorReport(report).replace(/\n*$/, '\n'),
    );
    return report.verdict === 'fail' ? 1 : 0;
  } finally {
    process.off('SIGINT', abort);
  }
}
