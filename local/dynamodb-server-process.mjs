// Child process that hosts the embedded DynamoDB-compatible server (dynalite).
//
// Why a separate process: like the SQS server (sqs-server-process.mjs), it keeps the server's
// event loop apart from the runner's, closer to a real network hop, and lets tests kill it.
//
// Protocol (shared with the SQS server, see server-process.ts): options arrive as JSON in argv[2]
// ({port, dataDir}); once listening, one JSON line {"ready":true,"endpoint":...,"port":...} is
// written to stdout. SIGTERM or the parent closing stdin stops the server; with a data directory
// LevelDB is closed cleanly first, so what was written survives the restart.
import dynalite from 'dynalite';

const options = JSON.parse(process.argv[2] ?? '{}');
const bindHost = '127.0.0.1';
/** Longest wait for a clean close before the process exits anyway. */
const STOP_GRACE_MS = 5_000;

const server = dynalite({
  // LevelDB in this folder, or in memory (dynalite's default) without one.
  ...(options.dataDir ? { path: options.dataDir } : {}),
  // A real table stays CREATING for seconds; locally nothing is gained by waiting (callers still
  // wait for ACTIVE, see dynamodb-table.ts).
  createTableMs: 0,
  deleteTableMs: 0,
  updateTableMs: 0,
});

server.on('error', (error) => {
  process.stderr.write(`Error: ${error.message}\n`);
  process.exit(1);
});

server.listen(options.port ?? 0, bindHost, () => {
  const { port } = server.address();
  process.stdout.write(JSON.stringify({ ready: true, endpoint: `http://${bindHost}:${port}`, port }) + '\n');
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), STOP_GRACE_MS).unref();
  // dynalite's close() waits for open connections; clients keep theirs alive, so drop them.
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', stop);
// Ctrl-C reaches the whole process group; the parent decides when the server stops (see sqs-server-process.mjs).
process.on('SIGINT', () => {});
process.stdin.on('end', stop);
process.stdin.resume();
