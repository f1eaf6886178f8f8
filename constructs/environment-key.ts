import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import type { AwsAccount } from './aws-account';
import { policyDocument } from './policy-documents';

export interface EnvironmentKeyProps {
  /** e.g. `alias/production-sqs`. */
  readonly alias: string;
  readonly account: AwsAccount;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A customer-managed KMS key for an environment's queues and alert topic, with yearly rotation.
 * Its policy lets the account's IAM policies govern use (the send/consume policies grant
 * kms:GenerateDataKey / kms:Decrypt) and lets CloudWatch alarms publish to the encrypted topic.
 */
export class EnvironmentKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: EnvironmentKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, 'key', {
      description: `Encrypts the SQS queues and alert topic (${props.alias})`,
      enableKeyRotation: true,
      // The longest waiting period: a scheduled deletion can be cancelled for 30 days.
      deletionWindowInDays: 30,
      // In a key policy "Resource": "*" means this key; AWS requires it.
      policy: policyDocument([
        {
          Sid: 'AccountIamPoliciesGovernUse',
          Effect: 'Allow',
          Principal: { AWS: props.account.rootPrincipalArn },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': props.account.accountId } },
        },
      ]),
      tags: { ...props.tags },
    });
    new KmsAlias(this, 'alias', { name: props.alias, targetKeyId: this.key.keyId });
  }

  get keyArn(): string {
    return this.key.arn;
  }
}
