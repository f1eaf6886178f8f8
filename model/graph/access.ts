/**
 * The IAM actions each kind of access needs, as data shared by every renderer (cdktf and
 * CloudFormation), so the two cannot grant different rights.
 */

/** Sending: SendMessage also authorizes SendMessageBatch. GetQueueUrl/Attributes let SDKs resolve the queue. */
export const SEND_ACTIONS = ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'] as const;

/** Consuming, as a Lambda event source mapping or a worker does: receive, delete, extend visibility. */
export const CONSUME_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
] as const;

/** With a customer-managed key, producers encrypt (new data key) and decrypt (data key reuse). */
export const KMS_SEND_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;
/** Consumers only decrypt. */
export const KMS_CONSUME_ACTIONS = ['kms:Decrypt'] as const;

/** A Lambda function's own log group: create its streams and write events (the group is ours). */
export const LOG_WRITE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'] as const;

/** X-Ray needs `*` as resource: these actions support no resource-level permissions. */
export const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] as const;

/** CloudWatch alarms publishing to a topic encrypted with the key: a data key per message. */
export const ALARMS_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'] as const;

/** CloudWatch Logs encrypting a log group with the key (the set AWS documents for log groups). */
export const LOGS_KEY_ACTIONS = ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'] as const;

/**
 * What the operator command does on a dead-letter queue (`ops status | dlq peek | redrive | cancel |
 * purge`): read its counts, look at messages without consuming them (receive, then make visible
 * again), move them back with StartMessageMoveTask (which needs receive, delete and attributes on
 * its source), follow and cancel the move, purge. Exactly what ops sends (test/ops/operator-policy).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html
 */
export const OPERATOR_DEAD_LETTER_QUEUE_ACTIONS = [
  'sqs:GetQueueAttributes',
  'sqs:ReceiveMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:StartMessageMoveTask',
  'sqs:ListMessageMoveTasks',
  'sqs:CancelMessageMoveTask',
  'sqs:PurgeQueue',
] as const;

/** On a queue: its counts (`status`), a redrive's destination, and a test message (`send`). */
export const OPERATOR_QUEUE_ACTIONS = ['sqs:GetQueueAttributes', 'sqs:SendMessage'] as const;

/** With a customer-managed key: peek and redrive decrypt, send and redrive encrypt. */
export const OPERATOR_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/** Apps reading the queue endpoints from SSM (plain String parameters: no KMS). */
export const ENDPOINT_READ_ACTIONS = ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'] as const;
