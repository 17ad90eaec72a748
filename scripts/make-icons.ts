// `npm run icons`: every icon Annotray ships, drawn from scripts/icons/annotray.svg.
// Chromium (through playwright-core) rasterises each variant at each size, straight from the
// vector, so small sizes stay crisp; scripts/icons/icon-formats.ts writes PNG, ICO and ICNS.
//   resources/tray/   tray images the running app loads (shipped as extraResources)
//   resources/icons/  the app icon as PNG (window icon on Linux, notification icon)
//   build/            installer icons for electron-builder (icon.icns, icon.ico, icons/*.png)
// Also writes .tmp/icons-preview.png, a sheet of every tray state on light and dark panels.
// Needs Chromium: CHROMIUM_PATH, else /usr/bin/chromium (apt-get install chromium).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { BADGE_NAMES, type BadgeName, TRAY_ICON_NAMES, type TrayIconName } from '../app/tray/tray-model.ts';
import { type Bitmap, encodeIcns, encodeIco, encodePng } from './icons/icon-formats.ts';

const ROOT = join(import.meta.dirname, '..');
const SOURCE = join(import.meta.dirname, 'icons', 'annotray.svg');

const INDIGO = '#5b5bf0';
const STATE_COLOURS: Record<Exclude<TrayIconName, 'idle'>, string> = {
  connected: '#22c55e',
  reconnecting: '#f59e0b',
  failed: '#ef4444',
  paused: '#6b7280',
  demo: '#0ea5e9',
};

const TRAY_SIZES = { linux: 24, mac: 16 } as const;
const WIN_TRAY_SIZES = [16, 20, 24, 32, 40, 48];
const APP_ICO_SIZES = [16, 20, 24, 32, 40, 48, 64, 128, 256];
const APP_ICNS_SIZES = [16, 32, 64, 128, 256, 512, 1024];
const APP_LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512];

function defs(): string {
  const source = readFileSync(SOURCE, 'utf8');
  const match = /<defs>([\s\S]*)<\/defs>/.exec(source);
  if (!match?.[1]) throw new Error(`${SOURCE} has no <defs>`);
  return match[1];
}

const DEFS = defs();

function svg(body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><defs>${DEFS}</defs>${body}</svg>`;
}

const HOLE_MASK =
  '<mask id="hole"><rect width="32" height="32" fill="#fff"/><use href="#mark-hole" fill="#000"/></mask>';

/** The tray glyph in colour (Linux, Windows): an indigo page, a coloured state dot. */
export function colourTray(state: TrayIconName): string {
  const idle = state === 'idle';
  const page = `<g mask="url(#hole)"><use href="#page" fill="${idle ? '#9ca3af' : INDIGO}"/><use href="#fold" fill="${idle ? '#d1d5db' : '#b4bcfd'}"/><use href="#lines" fill="#fff"/></g>`;
  const mark =
    state === 'idle'
      ? '<use href="#mark-ring" stroke="#9ca3af"/><use href="#mark-slash" stroke="#9ca3af"/>'
      : `<use href="#mark-dot" fill="${STATE_COLOURS[state]}"/>${state === 'failed' ? '<use href="#mark-exclamation" fill="#fff"/>' : ''}${state === 'paused' ? '<use href="#mark-pause" fill="#fff"/>' : ''}`;
  return svg(`${HOLE_MASK}${page}${mark}`);
}

/** The macOS menu-bar template: black and alpha only; the state is a shape, not a colour. */
export function templateTray(state: TrayIconName): string {
  const glyph =
    '<use href="#page" fill="none" stroke="#000" stroke-width="2.2"/><use href="#fold" fill="#000"/><use href="#lines" fill="#000"/>';
  if (state === 'connected') return svg(glyph);
  const marks: Record<Exclude<TrayIconName, 'connected'>, string> = {
    reconnecting: '<use href="#mark-ring" stroke="#000"/>',
    failed:
      '<mask id="bang"><rect width="32" height="32" fill="#fff"/><use href="#mark-exclamation" fill="#000"/></mask><use href="#mark-dot" fill="#000" mask="url(#bang)"/>',
    paused: '<use href="#mark-pause" fill="#000"/>',
    demo: '<circle cx="25" cy="25" r="4.4" fill="#000"/>',
    idle: '<use href="#mark-ring" stroke="#000"/><use href="#mark-slash" stroke="#000"/>',
  };
  return svg(`${HOLE_MASK}<g mask="url(#hole)">${glyph}</g>${marks[state]}`);
}

/** The Windows taskbar overlay: a red disc with the unread count. */
export function badge(name: BadgeName): string {
  const text = name === '9plus' ? '9+' : name;
  const fontSize = text.length > 1 ? 17 : 21;
  return svg(
    `<circle cx="16" cy="16" r="14.5" fill="#dc2626" stroke="#fff" stroke-width="2"/><text x="16" y="16.5" fill="#fff" font-family="DejaVu Sans, Segoe UI, Arial, sans-serif" font-weight="700" font-size="${fontSize}" text-anchor="middle" dominant-baseline="central">${text}</text>`,
  );
}

/** The app icon: the page on an indigo tile with a notification dot. macOS wants a margin round the tile. */
export function appIcon(margin = 1): string {
  const side = 32 - margin * 2;
  const scale = side / 30;
  return svg(
    `<g transform="translate(${margin} ${margin}) scale(${scale})">` +
      '<rect width="30" height="30" rx="6.6" fill="url(#tile-gradient)"/>' +
      '<g transform="translate(3.9 4.3) scale(0.68)"><use href="#page" fill="#fff"/><use href="#fold" fill="#c7d2fe"/><use href="#lines" fill="#4f46e5"/></g>' +
      '<circle cx="23.6" cy="6.4" r="3.7" fill="#fb7185" stroke="#4a44d6" stroke-width="1.2"/>' +
      '</g>',
  );
}

/** The few DOM types the page-side code needs (this script is type-checked without the DOM lib). */
interface CanvasPage {
  Image: new (width: number, height: number) => { src: string; decode(): Promise<void> };
  document: {
    createElement(tag: 'canvas'): {
      width: number;
      height: number;
      getContext(kind: '2d'): {
        drawImage(image: unknown, x: number, y: number, w: number, h: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
      } | null;
    };
  };
}

async function rasterise(page: Page, source: string, size: number): Promise<Bitmap> {
  const base64 = await page.evaluate(
    async ({ source, size }) => {
      const { Image, document } = globalThis as unknown as CanvasPage;
      const image = new Image(size, size);
      image.src = `data:image/svg+xml;base64,${btoa(source)}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = size;
      canvas.height = size;
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2d context');
      context.drawImage(image, 0, 0, size, size);
      const data = context.getImageData(0, 0, size, size).data;
      let binary = '';
      for (let i = 0; i < data.length; i += 1) binary += String.fromCharCode(data[i] ?? 0);
      return btoa(binary);
    },
    { source, size },
  );
  return { size, rgba: new Uint8Array(Buffer.from(base64, 'base64')) };
}

function write(relative: string, data: Buffer): void {
  const path = join(ROOT, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

async function main(): Promise<void> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const png = async (source: string, size: number) => encodePng(await rasterise(page, source, size));
    const bitmaps = (source: string, sizes: readonly number[]) =>
      Promise.all(sizes.map((size) => rasterise(page, source, size)));

    for (const state of TRAY_ICON_NAMES) {
      write(`resources/tray/linux/${state}.png`, await png(colourTray(state), TRAY_SIZES.linux));
      write(`resources/tray/linux/${state}@2x.png`, await png(colourTray(state), TRAY_SIZES.linux * 2));
      write(`resources/tray/mac/${state}Template.png`, await png(templateTray(state), TRAY_SIZES.mac));
      write(`resources/tray/mac/${state}Template@2x.png`, await png(templateTray(state), TRAY_SIZES.mac * 2));
      write(`resources/tray/win/${state}.ico`, encodeIco(await bitmaps(colourTray(state), WIN_TRAY_SIZES)));
    }
    for (const name of BADGE_NAMES) {
      write(`resources/tray/win/badge-${name}.png`, await png(badge(name), 16));
      write(`resources/tray/win/badge-${name}@2x.png`, await png(badge(name), 32));
    }
    write('resources/icons/annotray.png', await png(appIcon(), 256));
    write('build/icon.png', await png(appIcon(), 1024));
    write('build/icon.ico', encodeIco(await bitmaps(appIcon(), APP_ICO_SIZES)));
    write('build/icon.icns', encodeIcns(await bitmaps(appIcon(3), APP_ICNS_SIZES)));
    for (const size of APP_LINUX_SIZES) write(`build/icons/${size}x${size}.png`, await png(appIcon(), size));

    // A sheet to look at: each tray state at 2x on a light and a dark panel, the badges, the app icon.
    const dataUrl = (source: string) => `data:image/svg+xml;base64,${Buffer.from(source).toString('base64')}`;
    const row = (background: string, look: (s: TrayIconName) => string, size: number) =>
      `<div style="background:${background};padding:10px;display:flex;gap:14px">${TRAY_ICON_NAMES.map((s) => `<figure style="margin:0;text-align:center;font:10px sans-serif;color:#888"><img src="${dataUrl(look(s))}" width="${size}" height="${size}"><figcaption>${s}</figcaption></figure>`).join('')}</div>`;
    await page.setViewportSize({ width: 560, height: 520 });
    await page.setContent(
      `<body style="margin:0">${row('#f3f4f6', colourTray, 48)}${row('#1f2937', colourTray, 48)}${row('#e5e7eb', templateTray, 32)}${row('#d1d5db', colourTray, 16)}` +
        `<div style="padding:10px;display:flex;gap:8px;background:#fff">${BADGE_NAMES.map((b) => `<img src="${dataUrl(badge(b))}" width="32" height="32">`).join('')}</div>` +
        `<div style="padding:10px;display:flex;gap:12px;align-items:end;background:#fff"><img src="${dataUrl(appIcon())}" width="128"><img src="${dataUrl(appIcon())}" width="32"><img src="${dataUrl(appIcon())}" width="16"></div></body>`,
    );
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    await page.screenshot({ path: join(ROOT, '.tmp', 'icons-preview.png'), fullPage: true });
  } finally {
    await browser.close();
  }
  process.stdout.write('icons written to resources/ and build/ (preview: .tmp/icons-preview.png)\n');
}

if (import.meta.main) await main();
