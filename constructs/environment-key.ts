import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import type { AwsAccount } from './aws-account';
import {
  ACCOUNT_LOG_GROUPS_ARN,
  environmentKeyDescription,
  environmentKeyPolicy,
  KMS_KEY_DELETION_WINDOW_DAYS,
  LOGS_SERVICE_PRINCIPAL,
} from './spec';

export interface EnvironmentKeyProps {
  /** e.g. `alias/production-sqs`. */
  readonly alias: string;
  readonly account: AwsAccount;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A customer-managed KMS key for an environment's queues, alert topic and function log groups,
 * with yearly rotation. Its policy (`environmentKeyPolicy` in the spec layer) lets the account's
 * IAM policies govern use, lets CloudWatch alarms publish to the encrypted topic and CloudWatch Logs
 * encrypt the account's log groups in this region, and denies grants except for AWS services.
 */
export class EnvironmentKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: EnvironmentKeyProps) {
    super(scope, id);
    const { account } = props;
    this.key = new KmsKey(this, 'key', {
      description: environmentKeyDescription(props.alias),
      enableKeyRotation: true,
      deletionWindowInDays: KMS_KEY_DELETION_WINDOW_DAYS,
      policy: JSON.stringify(
        environmentKeyPolicy({
          accountRootArn: account.rootPrincipalArn,
          accountId: account.accountId,
          logsServicePrincipal: account.fill(LOGS_SERVICE_PRINCIPAL),
          logGroupsArn: account.fill(ACCOUNT_LOG_GROUPS_ARN),
        }),
      ),
      tags: { ...props.tags },
    });
    new KmsAlias(this, 'alias', { name: props.alias, targetKeyId: this.key.keyId });
  }

  get keyArn(): string {
    return this.key.arn;
  }
}
