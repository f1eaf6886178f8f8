// Child process that plays one Lambda execution environment for a bundled handler.
//
// The parent (lambda-process.ts) starts it with the function's environment variables and talks
// over Node's IPC channel:
//   parent → host  {type: 'invoke', id, event, timeoutMs, functionName}
//   host → parent  {type: 'ready'}                       once the bundle is imported (cold start)
//   host → parent  {type: 'result', id, ok: true, result} or {..., ok: false, error: {name, message, stack}}
//   host → parent  {type: 'fatal', error}                just before it exits (unhandled rejection, uncaught exception)
// The handler's own stdout/stderr (structured logs, EMF metrics) pass through untouched.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const bundleFile = process.argv[2];
if (!bundleFile) {
  process.stderr.write('usage: lambda-host.mjs <bundle file>\n');
  process.exit(2);
}

const module = await import(pathToFileURL(bundleFile).href);
const handler = module.handler;
if (typeof handler !== 'function') {
  process.stderr.write(`${bundleFile} does not export a handler function\n`);
  process.exit(3);
}

function contextFor(message) {
  const deadline = Date.now() + message.timeoutMs;
  const functionName = message.functionName ?? 'local-function';
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'us-east-1'}:000000000000:function:${functionName}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${process.pid}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
}

function serializeError(error) {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

process.on('message', async (message) => {
  if (message?.type !== 'invoke') return;
  try {
    const result = await handler(message.event, contextFor(message));
    process.send({ type: 'result', id: message.id, ok: true, result: result ?? null });
  } catch (error) {
    process.send({ type: 'result', id: message.id, ok: false, error: serializeError(error) });
  }
});

// In AWS an unhandled rejection (or uncaught exception) ends the invocation in progress with an
// error and resets the environment, also when it happens after the handler returned. The parent is
// told why before the process exits, so the invocation record can name the reason.
function fatal(name, reason) {
  const error = { ...serializeError(reason), name };
  process.stderr.write(`${name}: ${error.message}\n`);
  const exit = () => process.exit(1);
  setTimeout(exit, 500).unref();
  if (process.connected) process.send({ type: 'fatal', error }, exit);
  else exit();
}
process.on('unhandledRejection', (reason) => fatal('Runtime.UnhandledPromiseRejection', reason));
process.on('uncaughtException', (error) => fatal('Runtime.UncaughtException', error));

// The runner is gone (crashed or killed): an execution environment never outlives it.
process.on('disconnect', () => process.exit(0));
// Ctrl-C in a terminal reaches this process too; the runner stops it (SIGTERM) once the
// invocation in progress has finished, so SIGINT must not cut the invocation short.
process.on('SIGINT', () => {});
// A closed terminal (SIGHUP) too: the runner stops every environment itself.
process.on('SIGHUP', () => {});

process.send({ type: 'ready' });
