// `npm test`: everything CI and a developer run, in order, stopping at the first failure:
// system packages for the real-server tests, lint + format check, type-check of every room,
// the Electron security check, the unused-code check (knip), then every test (unit,
// integration, renderer, end-to-end).
// Ends with one "N passed, N failed" line.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const steps = [
  ['system packages', 'bash', ['scripts/install-system-deps.sh']],
  ['lint and format', 'biome', ['check', '.']],
  ['type-check engine, contract, tests', 'tsc', ['-p', 'tsconfig.json', '--noEmit']],
  ['type-check renderer', 'tsc', ['-p', 'renderer/tsconfig.json', '--noEmit'], 'renderer/tsconfig.json'],
  ['type-check electron', 'tsc', ['-p', 'tsconfig.electron.json', '--noEmit'], 'tsconfig.electron.json'],
  ['electron security check', 'node', ['scripts/security-check.ts'], 'scripts/security-check.ts'],
  // Unused files, exports, types and dependencies (knip.json says where the entry points are).
  ['unused code', 'knip', [], 'knip.json'],
];

function run(name, command, args) {
  process.stdout.write(`\n▶ ${name}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`\n✖ ${name} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status || 1);
  }
}

for (const [name, command, args, needs] of steps) {
  if (needs && !existsSync(needs)) continue;
  run(name, command, args);
}

mkdirSync('.tmp', { recursive: true });
const report = '.tmp/vitest-report.json';
process.stdout.write('\n▶ tests: vitest run\n');
const tests = spawnSync(
  'vitest',
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
if (existsSync(report)) {
  const summary = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = summary.numPendingTests + summary.numTodoTests;
  process.stdout.write(
    `\n${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${skipped} skipped\n`,
  );
}
process.exit(tests.status ?? 1);
