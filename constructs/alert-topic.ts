import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { Construct } from 'constructs';
import type { AwsAccount } from './aws-account';
import { alertTopicPolicy } from './spec';

export interface AlertTopicProps {
  /** Name of the topic to create, e.g. `production-sqs-alerts`. */
  readonly topicName: string;
  readonly account: AwsAccount;
  /**
   * KMS key that encrypts the topic. @default none: CloudWatch alarms cannot publish to a topic
   * encrypted with the AWS-managed SNS key, so without a customer-managed key the topic is left
   * unencrypted (alarm notifications carry no message data).
   */
  readonly kmsKeyArn?: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** The SNS topic alarms notify, publishable only by CloudWatch alarms of this account and only over TLS. */
export class AlertTopic extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, 'topic', {
      name: props.topicName,
      ...(props.kmsKeyArn ? { kmsMasterKeyId: props.kmsKeyArn } : {}),
      tags: { ...props.tags },
    });
    new SnsTopicPolicy(this, 'policy', {
      arn: this.topic.arn,
      policy: JSON.stringify(alertTopicPolicy(this.topic.arn, props.account.accountId)),
    });
  }

  get topicArn(): string {
    return this.topic.arn;
  }
}
