/**
 * Why a consumer failed a message, from the local run's function logs: `.local/logs/<function>.log`
 * holds the JSON lines each function wrote (Powertools logger), and a failing record gets an ERROR
 * line with its `messageId` and `correlationId` (lambdas/shared/consumer.ts). A dead letter keeps
 * the message id it had on the source queue, so its last such line is the reason. Deployed
 * functions log to CloudWatch Logs instead; there ops only names the correlation id to search for.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CORRELATION_ID_ATTRIBUTE } from '../lambdas/shared/correlation';

export interface FailureReason {
  readonly reason: string;
  /** The function that logged it (the log file's name). */
  readonly functionName: string;
  readonly loggedAt: string | undefined;
  /** How the log line was matched: the message id itself, or only the correlation id (less certain). */
  readonly matchedBy: 'messageId' | 'correlationId';
}

interface FailureLine {
  readonly messageId: string | undefined;
  readonly correlationId: string | undefined;
  readonly reason: string;
  readonly functionName: string;
  readonly loggedAt: string | undefined;
}

/** Failure lines of every log file in `logDir` (none when it does not exist). */
export function readFailureLines(logDir: string): FailureLine[] {
  let files: string[];
  try {
    files = readdirSync(logDir).filter((file) => file.endsWith('.log'));
  } catch {
    return [];
  }
  const lines: FailureLine[] = [];
  for (const file of files.sort()) {
    const functionName = file.slice(0, -'.log'.length);
    for (const text of readFileSync(path.join(logDir, file), 'utf8').split('\n')) {
      const line = parseFailure(text, functionName);
      if (line) lines.push(line);
    }
  }
  return lines;
}

/** The reason for each message, by message id; a correlation-id match only when no line names the message. */
export function failureReasons(lines: readonly FailureLine[], messages: readonly { messageId: string; correlationId: string | undefined }[]): Map<string, FailureReason> {
  const reasons = new Map<string, FailureReason>();
  for (const message of messages) {
    const byId = lines.filter((line) => line.messageId === message.messageId).at(-1);
    const byCorrelation = message.correlationId !== undefined ? lines.filter((line) => line.correlationId === message.correlationId).at(-1) : undefined;
    const line = byId ?? byCorrelation;
    if (line) reasons.set(message.messageId, { reason: line.reason, functionName: line.functionName, loggedAt: line.loggedAt, matchedBy: byId ? 'messageId' : 'correlationId' });
  }
  return reasons;
}

function parseFailure(text: string, functionName: string): FailureLine | undefined {
  if (!text.startsWith('{')) return undefined;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (String(entry.level ?? '').toUpperCase() !== 'ERROR' || typeof entry.message !== 'string') return undefined;
  const messageId = typeof entry.messageId === 'string' ? entry.messageId : undefined;
  const correlationId = typeof entry[CORRELATION_ID_ATTRIBUTE] === 'string' ? (entry[CORRELATION_ID_ATTRIBUTE] as string) : undefined;
  if (messageId === undefined && correlationId === undefined) return undefined;
  const error = entry.error as { message?: unknown } | undefined;
  const detail = typeof error?.message === 'string' && !entry.message.includes(error.message) ? `: ${error.message}` : '';
  return { messageId, correlationId, reason: entry.message + detail, functionName, loggedAt: typeof entry.timestamp === 'string' ? entry.timestamp : undefined };
}
