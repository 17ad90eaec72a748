// Tiny encoders for the icon files Annotray ships: PNG (RGBA, zlib from node:zlib), ICO
// (Windows: small sizes as 32-bit BMP, which every Windows API reads, 256 px as PNG) and ICNS
// (macOS: PNG entries). Enough of each format to write them, and to read back their sizes
// in tests.

import { crc32, deflateSync } from 'node:zlib';

export interface Bitmap {
  readonly size: number;
  /** RGBA, not premultiplied, rows top to bottom. */
  readonly rgba: Uint8Array;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function encodePng({ size, rgba }: Bitmap): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bits per channel
  header.writeUInt8(6, 9); // RGBA
  const stride = size * 4;
  const raw = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y += 1) {
    // Filter "Up" (2) after the first row: icons are mostly flat areas, which it shrinks well.
    const row = y * (stride + 1);
    raw[row] = y === 0 ? 0 : 2;
    for (let x = 0; x < stride; x += 1) {
      const value = rgba[y * stride + x] ?? 0;
      raw[row + 1 + x] = y === 0 ? value : (value - (rgba[(y - 1) * stride + x] ?? 0)) & 0xff;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function bmpEntry({ size, rgba }: Bitmap): Buffer {
  const info = Buffer.alloc(40);
  info.writeUInt32LE(40, 0);
  info.writeInt32LE(size, 4);
  info.writeInt32LE(size * 2, 8); // colour rows + mask rows
  info.writeUInt16LE(1, 12);
  info.writeUInt16LE(32, 14);
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    const from = (size - 1 - y) * size * 4; // bottom-up
    for (let x = 0; x < size; x += 1) {
      const i = from + x * 4;
      const o = (y * size + x) * 4;
      pixels[o] = rgba[i + 2] ?? 0;
      pixels[o + 1] = rgba[i + 1] ?? 0;
      pixels[o + 2] = rgba[i] ?? 0;
      pixels[o + 3] = rgba[i + 3] ?? 0;
    }
  }
  const maskStride = Math.ceil(size / 32) * 4;
  return Buffer.concat([info, pixels, Buffer.alloc(maskStride * size)]);
}

export function encodeIco(bitmaps: readonly Bitmap[]): Buffer {
  const sorted = [...bitmaps].sort((a, b) => a.size - b.size);
  const images = sorted.map((b) => (b.size >= 256 ? encodePng(b) : bmpEntry(b)));
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sorted.length, 4);
  const directory = Buffer.alloc(16 * sorted.length);
  let offset = 6 + directory.length;
  sorted.forEach((bitmap, i) => {
    const image = images[i] ?? Buffer.alloc(0);
    const at = i * 16;
    directory.writeUInt8(bitmap.size >= 256 ? 0 : bitmap.size, at);
    directory.writeUInt8(bitmap.size >= 256 ? 0 : bitmap.size, at + 1);
    directory.writeUInt16LE(1, at + 4);
    directory.writeUInt16LE(32, at + 6);
    directory.writeUInt32LE(image.length, at + 8);
    directory.writeUInt32LE(offset, at + 12);
    offset += image.length;
  });
  return Buffer.concat([header, directory, ...images]);
}

/** ICNS types holding PNG data, by pixel size (the @2x types reuse the same pixels). */
const ICNS_TYPES: Readonly<Record<number, readonly string[]>> = {
  16: ['icp4'],
  32: ['icp5', 'ic11'],
  64: ['icp6', 'ic12'],
  128: ['ic07'],
  256: ['ic08', 'ic13'],
  512: ['ic09', 'ic14'],
  1024: ['ic10'],
};

export function encodeIcns(bitmaps: readonly Bitmap[]): Buffer {
  const entries: Buffer[] = [];
  for (const bitmap of [...bitmaps].sort((a, b) => a.size - b.size)) {
    const png = encodePng(bitmap);
    for (const type of ICNS_TYPES[bitmap.size] ?? []) {
      const head = Buffer.alloc(8);
      head.write(type, 0, 'latin1');
      head.writeUInt32BE(png.length + 8, 4);
      entries.push(head, png);
    }
  }
  const body = Buffer.concat(entries);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

/** Width and height of a PNG (from IHDR). */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (b.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** The pixel sizes an ICO holds. */
export function icoSizes(ico: Uint8Array): number[] {
  const b = Buffer.from(ico.buffer, ico.byteOffset, ico.byteLength);
  if (b.readUInt16LE(0) !== 0 || b.readUInt16LE(2) !== 1) throw new Error('not an ICO');
  return Array.from({ length: b.readUInt16LE(4) }, (_, i) => b.readUInt8(6 + i * 16) || 256);
}

/** The entry types an ICNS holds. */
export function icnsTypes(icns: Uint8Array): string[] {
  const b = Buffer.from(icns.buffer, icns.byteOffset, icns.byteLength);
  if (b.toString('latin1', 0, 4) !== 'icns' || b.readUInt32BE(4) !== b.length) throw new Error('not an ICNS');
  const types: string[] = [];
  for (let at = 8; at < b.length; at += b.readUInt32BE(at + 4)) types.push(b.toString('latin1', at, at + 4));
  return types;
}
