// `node scripts/security-check.ts`: Doyensec's electronegativity over what runs in Electron —
// the main process and preload (electron/ and app/, tests left out) and the window's HTML (its CSP) —
// offline, for the installed Electron version. Exits 1 on any finding not reviewed below, and
// on any file the scanner could not parse (a file it cannot read is a file it did not check).
// A reviewed finding names the check, the file, and why it is safe; anything new fails.

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

interface Issue {
  readonly id: string;
  readonly file: string;
  readonly location: { readonly line: number; readonly column: number };
  readonly severity: { readonly name?: string; readonly value: number };
  readonly confidence: { readonly name?: string; readonly value: number };
  readonly description: string;
  readonly sample?: string;
  readonly manualReview?: boolean;
}

type Run = (
  options: Record<string, unknown>,
  forCli: boolean,
) => Promise<{
  readonly issues: readonly Issue[];
  readonly errors: readonly { readonly file: string; readonly message?: string }[];
}>;

/** Findings a person has looked at, and why they are safe. */
const REVIEWED: readonly { readonly id: string; readonly file: string; readonly why: string }[] = [
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'app/app-core.ts',
    why: 'only URLs that passed checkExternalUrl (http(s), origin of a configured server, no credentials) are opened; test/app-core.test.ts',
  },
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'electron/main.ts',
    why: 'the openExternal port of AppCore, which calls it only after its URL guard (app/url-guard.ts)',
  },
  {
    id: 'PRELOAD_JS_CHECK',
    file: 'electron/main-window.ts',
    why: 'the preload exposes only window.annotray (invoke/on over the contract channels), never ipcRenderer; electron/preload/annotray-api.test.ts',
  },
  {
    id: 'CSP_GLOBAL_CHECK',
    file: 'app/window/session-hardening.ts',
    why: 'the header value comes from contentSecurityPolicy() (app/window/window.test.ts, session-hardening.test.ts), which the scanner cannot evaluate',
  },
  {
    id: 'CSP_GLOBAL_CHECK',
    file: 'renderer/index.html',
    why: "'self' is app://annotray, which serves only the renderer build (resolveAppAsset); the evaluator's warning is about script gadgets on shared web origins",
  },
];

function stage(): string {
  // The scanner reads .ts and .html; give it exactly the code that runs in Electron.
  const dir = mkdtempSync(join(tmpdir(), 'annotray-security-'));
  // The main process is electron/ (what touches Electron) and app/ (what it runs, in plain Node).
  for (const room of ['electron', 'app']) {
    cpSync(join(ROOT, room), join(dir, room), {
      recursive: true,
      filter: (source) => !source.endsWith('.test.ts'),
    });
  }
  if (existsSync(join(ROOT, 'renderer', 'index.html'))) {
    mkdirSync(join(dir, 'renderer'));
    cpSync(join(ROOT, 'renderer', 'index.html'), join(dir, 'renderer', 'index.html'));
  }
  return dir;
}

async function main(): Promise<number> {
  const electronVersion = (
    JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const run = require('@doyensec/electronegativity/dist/runner.js') as Run;
  const dir = stage();
  let result: Awaited<ReturnType<Run>>;
  try {
    result = await run(
      {
        input: dir,
        isSarif: false,
        customScan: [],
        // Looks up Electron releases online; the version is pinned in package-lock.json instead.
        excludeFromScan: ['availablesecurityfixesglobalcheck'],
        isRelative: false,
        isVerbose: false,
        electronVersionOverride: electronVersion,
        parserPlugins: [],
      },
      false,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const where = (file: string) => (file === 'N/A' ? file : relative(dir, file));
  let failures = 0;
  for (const error of result.errors) {
    failures += 1;
    process.stdout.write(`✖ could not scan ${where(error.file)}: ${error.message ?? 'parse error'}\n`);
  }
  for (const issue of result.issues) {
    const file = where(issue.file);
    const reviewed = REVIEWED.find((r) => r.id === issue.id && r.file === file);
    const at = `${issue.id} ${file}:${issue.location.line}:${issue.location.column}`;
    if (reviewed) {
      process.stdout.write(`✓ reviewed ${at}: ${reviewed.why}\n`);
    } else {
      failures += 1;
      process.stdout.write(
        `✖ ${at} [${issue.severity.name ?? issue.severity.value}/${issue.confidence.name ?? issue.confidence.value}] ${issue.description}${issue.sample ? `\n    ${issue.sample}` : ''}\n`,
      );
    }
  }
  process.stdout.write(
    failures === 0
      ? `electronegativity (Electron ${electronVersion}): no unreviewed findings in ${result.issues.length} reported\n`
      : `electronegativity: ${failures} finding(s) need fixing or a review entry in scripts/security-check.ts\n`,
  );
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
