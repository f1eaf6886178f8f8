/** Descriptions of generated resources, in one place. */

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

/** Description of an environment's operator policy. */
export function operatorPolicyDescription(prefix: string): string {
  return `Operate the ${prefix} queues: status, inspect, redrive, cancel and purge dead letters, send test messages`;
}

export function endpointsReadPolicyDescription(path: string): string {
  return `Read the queue endpoints published under ${path} in SSM Parameter Store`;
}
