#!/usr/bin/env node
// Entry point of the `annotray` command. In a checkout, Node 22.18+ runs the TypeScript
// source directly; an installed package (where Node refuses to strip types inside
// node_modules) runs the compiled copy in dist/.
import { existsSync } from 'node:fs';

const source = new URL('../engine/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/engine/cli/main.js', import.meta.url);
const useSource =
  process.features.typescript && existsSync(source) && !source.pathname.includes('/node_modules/');
const { main } = await import(useSource ? source.href : compiled.href);
process.exitCode = await main(process.argv.slice(2));
