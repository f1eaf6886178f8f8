/**
 * Descriptions of generated resources and outputs, in one place so that every renderer writes the
 * same words (the equivalence test compares them).
 */

/** Description of a Lambda function's execution role. */
export function roleDescription(functionName: string): string {
  return `Execution role of ${functionName}`;
}

/** Description of a queue's `send` managed policy. */
export function sendPolicyDescription(queueName: string): string {
  return `Send messages to ${queueName}`;
}

/** Description of a queue's `consume` managed policy. */
export function consumePolicyDescription(queueName: string): string {
  return `Receive, delete and extend visibility of messages on ${queueName}`;
}

/** Description of the KMS key an environment creates, named by its alias. */
export function environmentKeyDescription(alias: string): string {
  return `Encrypts the SQS queues, alert topic and function logs (${alias})`;
}

/** Description of the alert topic output. */
export const ALERT_TOPIC_OUTPUT_DESCRIPTION = 'SNS topic the alarms notify';

/**
 * Description of a function URL output. Names the logical function (`order-service`): the
 * CloudFormation template serves every environment, and an output description cannot vary.
 */
export function functionUrlOutputDescription(name: string): string {
  return `URL of the ${name} function (IAM auth: callers sign requests with SigV4)`;
}
