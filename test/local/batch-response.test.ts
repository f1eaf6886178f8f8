/** How a ReportBatchItemFailures response is read, rule by rule (AWS Lambda developer guide). */
import { settleBatch } from '../../local/batch-response';
import type { InvokeOutcome } from '../../local/lambda-process';

const ids = ['m-1', 'm-2', 'm-3'];
const ok = (result: unknown): InvokeOutcome => ({ ok: true, result, durationMs: 1, coldStart: false });

test.each([
  ['null response', null],
  ['undefined response', undefined],
  ['empty object', {}],
  ['batchItemFailures: null', { batchItemFailures: null }],
  ['batchItemFailures: []', { batchItemFailures: [] }],
  ['unrelated fields only', { statusCode: 200 }],
])('complete success: %s', (_case, result) => {
  expect(settleBatch(ids, ok(result))).toEqual({ kind: 'partial', succeeded: ids, failed: [] });
});

test('listed ids fail, the others succeed (duplicates counted once, event order kept)', () => {
  const result = { batchItemFailures: [{ itemIdentifier: 'm-3' }, { itemIdentifier: 'm-1' }, { itemIdentifier: 'm-3' }] };
  expect(settleBatch(ids, ok(result))).toEqual({ kind: 'partial', succeeded: ['m-2'], failed: ['m-1', 'm-3'] });
});

test.each([
  ['an unknown id', { batchItemFailures: [{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-9' }] }, 'batchItemFailures[1].itemIdentifier "m-9" is not a message id of this batch'],
  ['an empty id', { batchItemFailures: [{ itemIdentifier: '' }] }, 'batchItemFailures[0] has no usable itemIdentifier (got {"itemIdentifier":""})'],
  ['a null id', { batchItemFailures: [{ itemIdentifier: null }] }, 'batchItemFailures[0] has no usable itemIdentifier (got {"itemIdentifier":null})'],
  ['a numeric id', { batchItemFailures: [{ itemIdentifier: 1 }] }, 'batchItemFailures[0] has no usable itemIdentifier (got {"itemIdentifier":1})'],
  ['a bad key name', { batchItemFailures: [{ itemId: 'm-1' }] }, 'batchItemFailures[0] has no usable itemIdentifier (got {"itemId":"m-1"})'],
  ['a string entry', { batchItemFailures: ['m-1'] }, 'batchItemFailures[0] has no usable itemIdentifier (got "m-1")'],
  ['batchItemFailures not a list', { batchItemFailures: { itemIdentifier: 'm-1' } }, 'batchItemFailures is not a list (got {"itemIdentifier":"m-1"})'],
  ['a string response', 'ok', 'response is not a batch response object (got "ok")'],
  ['an array response', [], 'response is not a batch response object (got [])'],
])('whole batch fails on %s', (_case, result, reason) => {
  expect(settleBatch(ids, ok(result))).toEqual({ kind: 'batch-failed', reason, failed: ids });
});

test.each([
  [{ timedOut: true, crashed: false, name: 'Sandbox.Timedout', message: 'Task timed out after 1000 ms' }, 'function timed out: Sandbox.Timedout: Task timed out after 1000 ms'],
  [{ timedOut: false, crashed: true, name: 'Runtime.ExitError', message: 'exited' }, 'function crashed: Runtime.ExitError: exited'],
  [{ timedOut: false, crashed: false, name: 'TypeError', message: 'x is undefined' }, 'function threw: TypeError: x is undefined'],
])('whole batch fails when the invocation fails: %j', ({ timedOut, crashed, name, message }, reason) => {
  const outcome: InvokeOutcome = { ok: false, error: { name, message }, timedOut, crashed, durationMs: 1, coldStart: false };
  expect(settleBatch(ids, outcome)).toEqual({ kind: 'batch-failed', reason, failed: ids });
});
