/**
 * `ListDeadLetterSourceQueues`: the queues whose RedrivePolicy names the given queue as their
 * dead-letter queue, by name, with AWS's paging (`MaxResults` 1 – 1,000; a `NextToken` only when
 * `MaxResults` was given and more remain). The response key is `queueUrls`, lower-case, as in
 * AWS's API model.
 */
import type { FauxqsStore } from '../fauxqs-internals.ts';
import { missingParameter, queueDoesNotExist, SqsApiError } from '../sqs-api-error.ts';
import { deadLetterSourcesOf } from './fauxqs-move-store.ts';

const MAX_RESULTS = 1_000;

export function listDeadLetterSourceQueues(body: Record<string, unknown>, store: FauxqsStore): { queueUrls: string[]; NextToken?: string } {
  const queueUrl = body.QueueUrl;
  if (typeof queueUrl !== 'string' || queueUrl === '') throw missingParameter('QueueUrl');
  const queue = store.getQueue(queueUrl);
  if (!queue) throw queueDoesNotExist();
  const maxResults = body.MaxResults;
  if (maxResults !== undefined && (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS)) {
    throw new SqsApiError('InvalidParameterValue', `Value ${String(maxResults)} for parameter MaxResults is invalid. Reason: Must be between 1 and ${MAX_RESULTS}.`);
  }
  const nextToken = body.NextToken;
  if (nextToken !== undefined && typeof nextToken !== 'string') throw new SqsApiError('InvalidParameterValue', 'Value for parameter NextToken is invalid.');
  // The token is the name of the last queue returned: sources sort by name.
  const sources = deadLetterSourcesOf(store, queue.arn).filter((source) => nextToken === undefined || source.name > nextToken);
  if (maxResults === undefined || sources.length <= maxResults) return { queueUrls: sources.map((source) => source.url) };
  const page = sources.slice(0, maxResults);
  return { queueUrls: page.map((source) => source.url), NextToken: page[page.length - 1]!.name };
}
