#!/usr/bin/env node
// The `cleanroom` command: wires the commands together and turns errors into exit codes.
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
