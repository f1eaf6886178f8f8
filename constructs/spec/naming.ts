/** Resource names derived from the environment and logical names, in one place. */
import type { QueueOutputKind } from './outputs';
import type { EnvironmentName } from './types';

const FIFO_SUFFIX = '.fifo';

export function queueName(environment: EnvironmentName, name: string, fifo: boolean): string {
  return `${environment}-${name}-queue${fifo ? FIFO_SUFFIX : ''}`;
}

export function deadLetterQueueName(environment: EnvironmentName, name: string, fifo: boolean): string {
  return `${environment}-${name}-dlq${fifo ? FIFO_SUFFIX : ''}`;
}

export function functionName(environment: EnvironmentName, name: string): string {
  return `${environment}-${name}`;
}

export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** A function's execution role, e.g. `production-order-service-role`. */
export function roleName(functionName: string): string {
  return `${functionName}-role`;
}

/** The inline policy every function role carries (its own log group, X-Ray when tracing). */
export const FUNCTION_BASE_POLICY_NAME = 'logs-and-traces';

export function alertTopicName(environment: EnvironmentName): string {
  return `${environment}-sqs-alerts`;
}

export function kmsKeyAlias(environment: EnvironmentName): string {
  return `alias/${environment}-sqs`;
}

/** Environment variable that carries a queue's URL to a producer, e.g. `ORDER_QUEUE_URL`. */
export function queueUrlVariable(name: string): string {
  return `${name.toUpperCase().replace(/-/g, '_')}_QUEUE_URL`;
}

/** Output names, as apps read them (`order_queue_url`). */
export function outputName(queue: string, what: QueueOutputKind): string {
  return `${queue.replace(/-/g, '_')}_${what}`;
}

/** Output name of a function's URL, as apps read it (`order_service_function_url`). */
export function functionUrlOutputName(name: string): string {
  return `${name.replace(/-/g, '_')}_function_url`;
}

/** Alarm names, e.g. `production-order-queue-depth`. */
export function alarmName(environment: EnvironmentName, name: string, alarm: 'depth' | 'oldestMessageAge' | 'deadLetterQueue'): string {
  switch (alarm) {
    case 'depth':
      return `${environment}-${name}-queue-depth`;
    case 'oldestMessageAge':
      return `${environment}-${name}-queue-oldest-message-age`;
    case 'deadLetterQueue':
      return `${environment}-${name}-dlq-not-empty`;
  }
}

/** Managed policy names, e.g. `production-order-queue-send`. */
export function policyName(environment: EnvironmentName, name: string, access: 'send' | 'consume'): string {
  return `${environment}-${name}-queue-${access}`;
}
