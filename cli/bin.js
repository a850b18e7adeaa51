#!/usr/bin/env node
// The `subzone` command. Where the package is installed it runs the compiled CLI (dist/);
// in a checkout, before any build, it runs cli/main.ts through tsx.
'use strict';

const { existsSync } = require('node:fs');
const { join } = require('node:path');

// The SDK's notice about future Node versions says nothing about the command.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const compiled = join(__dirname, '..', 'dist', 'cli', 'main.js');
const inCheckout = existsSync(join(__dirname, 'main.ts'));
if (inCheckout) require('tsx/cjs/api').register();
const { main } = require(inCheckout ? './main.ts' : compiled);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`subzone: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
