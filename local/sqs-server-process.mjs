// Child process that hosts the embedded SQS-compatible server (fauxqs).
//
// Why a separate process: fauxqs is ESM-only and needs Node >= 22.5 (node:sqlite); running it in
// its own process keeps it usable from Jest's CommonJS runtime, gives the runner and the server
// separate event loops (closer to a real network hop), and lets tests kill the server to simulate
// an outage.
//
// Protocol: options arrive as JSON in argv[2]; once listening, one JSON line
// {"ready":true,"endpoint":...,"port":...} is written to stdout. SIGTERM or the parent
// closing stdin stops the server (persisted state is flushed by fauxqs on close).
import net from 'node:net';

const options = JSON.parse(process.argv[2] ?? '{}');
const bindHost = options.bindHost ?? '127.0.0.1';

// fauxqs 2.x always listens on 0.0.0.0; rebind it to loopback so the server is never reachable
// from the network. This wraps only the wildcard address and leaves every other listen() alone.
const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first] = args;
  if (first && typeof first === 'object' && first.host === '0.0.0.0') {
    args[0] = { ...first, host: bindHost };
  }
  return originalListen.apply(this, args);
};

// DLQ redrive (message move tasks) and fixes for persistence and queue URLs, patched into fauxqs before it builds the server.
const { installFauxqsExtensions, rehostQueues } = await import('./fauxqs-extensions/install.ts');
await installFauxqsExtensions();

const { startFauxqs } = await import('fauxqs');
const server = await startFauxqs({
  port: options.port ?? 0,
  logger: false,
  defaultRegion: options.region ?? 'us-east-1',
  ...(options.dataDir ? { dataDir: options.dataDir } : {}),
});

const bound = new URL(server.address);
if (bound.hostname !== bindHost) {
  process.stderr.write(`embedded SQS server bound to ${bound.hostname}, expected ${bindHost}\n`);
  await server.stop();
  process.exit(1);
}

rehostQueues(`http://${bindHost}:${server.port}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
}
process.on('SIGTERM', stop);
// Ctrl-C in a terminal signals the whole process group, this server included. The parent decides
// when the server stops (SIGTERM, or closing stdin), after its consumers have finished their
// in-flight batches and deleted what they processed; so SIGINT is ignored here.
process.on('SIGINT', () => {});
// A closed terminal (SIGHUP) is handled the same way: the parent stops first, then closes stdin.
process.on('SIGHUP', () => {});
process.stdin.on('end', stop);
process.stdin.resume();

process.stdout.write(
  JSON.stringify({ ready: true, endpoint: `http://${bindHost}:${server.port}`, port: server.port }) + '\n',
);
