/**
 * ARNs and service principals that depend on the deploying partition, region and account, as
 * account strings (see `values.ts`): nothing account- or region-specific is hard-coded (DESIGN §4).
 */
import { accountString } from './values';

/** The deploying account's id. */
export const ACCOUNT_ID = accountString('${AWS::AccountId}');

/** The deploying account as a principal: its IAM policies then govern use of a resource. */
export const ACCOUNT_ROOT_ARN = accountString('arn:${AWS::Partition}:iam::${AWS::AccountId}:root');

/** CloudWatch Logs of the deploying region: a key policy must name the regional principal. */
export const LOGS_SERVICE_PRINCIPAL = accountString('logs.${AWS::Region}.amazonaws.com');

/** Every log group of the account in the region (what a key may encrypt for CloudWatch Logs). */
export const ACCOUNT_LOG_GROUPS_ARN = accountString('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*');

/** The streams of one log group: what a function writes to. */
export function logStreamsArn(logGroupName: string) {
  return accountString(`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${logGroupName}:*`);
}

/**
 * A queue's ARN built from its name. A DLQ's redrive-allow policy names its source this way: a
 * reference would make a cycle (the source's redrive policy already refers to the DLQ).
 */
export function queueArnOf(queueName: string) {
  return accountString(`arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:${queueName}`);
}

/** An alarm's ARN built from its name (the dashboard's alarm widget lists alarms by ARN). */
export function alarmArnOf(alarmName: string) {
  return accountString(`arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:${alarmName}`);
}

/**
 * An SSM parameter's ARN built from its name (`/a/b` → `…:parameter/a/b`); also a path's, which
 * GetParametersByPath is authorized on.
 */
export function parameterArnOf(name: string) {
  return accountString(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}`);
}

/** The deploying region, e.g. for a dashboard widget's metrics. */
export const REGION = accountString('${AWS::Region}');
