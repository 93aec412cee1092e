'use strict';
// Runs the Temporal dev server for one Sluice process and ties the server's life to that process.
// Plain CommonJS so it starts in milliseconds (no tsx). Usage, from workers/dev-server-process.ts:
//   node dev-server-watchdog.cjs <grace ms> <temporal binary> <args…>
// with stdin, stdout, stderr and fd 3 piped from the parent.
//
// Node has no PR_SET_PDEATHSIG, so the lifeline is our stdin: the parent holds its write end and
// never writes. However the parent ends (exit, crash, SIGKILL), the kernel closes that end and we
// read end-of-file; then we stop the server (SIGTERM, SIGKILL after the grace period) and exit. A
// graceful stop by the parent is the same path: it closes the pipe. The parent may also signal the
// server itself (its pid comes on fd 3 as one JSON line); we exit as the server did, same exit code
// or same signal, so the parent's ChildProcess for us reads like one for the server.
const { spawn } = require('node:child_process');
const { writeSync } = require('node:fs');
const { constants } = require('node:os');

const [graceArgument, binary, ...args] = process.argv.slice(2);
const graceMs = Number(graceArgument) || 10_000;
let parentGone = false;

/** One JSON line to the parent on fd 3; it may already be gone (EPIPE), which the lifeline reports too. */
function tellParent(message) {
  try {
    writeSync(3, `${JSON.stringify(message)}\n`);
  } catch {
    // Parent gone: stdin's end-of-file follows.
  }
}

// Once the parent is gone its pipes are broken: output is dropped, and EPIPE must not end us before the
// server is stopped. Relaying (rather than handing the server our pipes) also spares the server SIGPIPE.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

// The server stays in our process group, which the parent made our own: a terminal's Ctrl-C reaches only
// Sluice, which drains its workers before it stops the server.
const server = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
server.stdout.on('data', (chunk) => parentGone || process.stdout.write(chunk));
server.stderr.on('data', (chunk) => parentGone || process.stderr.write(chunk));
server.once('error', (error) => {
  tellParent({ error: `cannot start ${binary}: ${error.message}` });
  process.exit(127);
});
if (server.pid !== undefined) tellParent({ pid: server.pid });

let stopping = false;
function stopServer() {
  if (stopping) return;
  stopping = true;
  if (server.exitCode !== null || server.signalCode !== null) return;
  server.kill('SIGTERM');
  setTimeout(() => server.kill('SIGKILL'), graceMs);
}

process.stdin.on('data', () => undefined);
process.stdin.once('end', () => {
  parentGone = true;
  stopServer();
});
process.stdin.once('error', () => {
  parentGone = true;
  stopServer();
});
// Someone signalling the watchdog itself gets the server stopped too, not orphaned.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, stopServer);

server.once('exit', (code, signal) => {
  if (signal) {
    // Restore the default action, then end by the same signal.
    for (const name of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.removeAllListeners(name);
    process.kill(process.pid, signal);
    // A signal Node ignores (SIGPIPE) does not end us: exit as a shell reports a signal death.
    setImmediate(() => process.exit(128 + (constants.signals[signal] ?? 0)));
    return;
  }
  process.exit(code ?? 1);
});
