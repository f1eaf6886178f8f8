/**
 * What every renderer exports per queue: the Terraform output suffix (`order_queue_url`), the
 * CloudFormation export suffix (`${Environment}-OrderQueueUrl`) and one description. Descriptions
 * name the logical queue, not the environment: a CloudFormation output description is a literal
 * shared by every environment the template deploys.
 */
export const QUEUE_OUTPUTS = [
  { what: 'queue_url', exportSuffix: 'QueueUrl', describe: (queue: string) => `URL of the ${queue} queue` },
  { what: 'queue_arn', exportSuffix: 'QueueArn', describe: (queue: string) => `ARN of the ${queue} queue` },
  { what: 'dlq_url', exportSuffix: 'DlqUrl', describe: (queue: string) => `URL of the ${queue} dead-letter queue` },
  { what: 'dlq_arn', exportSuffix: 'DlqArn', describe: (queue: string) => `ARN of the ${queue} dead-letter queue` },
  { what: 'send_policy_arn', exportSuffix: 'SendPolicyArn', describe: (queue: string) => `Managed policy: send to the ${queue} queue` },
  { what: 'consume_policy_arn', exportSuffix: 'ConsumePolicyArn', describe: (queue: string) => `Managed policy: consume from the ${queue} queue` },
] as const;

/** One of the per-queue outputs, e.g. `queue_url`. */
export type QueueOutputKind = (typeof QUEUE_OUTPUTS)[number]['what'];

/** Name of the output (and export suffix) of the alert topic. */
export const ALERT_TOPIC_OUTPUT = { what: 'alert_topic_arn', exportSuffix: 'AlertTopicArn' } as const;
