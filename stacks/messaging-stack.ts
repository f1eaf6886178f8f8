import { S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import {
  addAwsProvider,
  ALERT_TOPIC_OUTPUT,
  ALERT_TOPIC_OUTPUT_DESCRIPTION,
  functionUrlOutputDescription,
  functionUrlOutputName,
  MessagingEnvironment,
  outputName,
  QUEUE_OUTPUTS,
  type QueueOutputKind,
  type ResolvedEnvironment,
} from '../constructs';

export interface MessagingStackProps {
  /** The environment's resolved spec. */
  readonly spec: ResolvedEnvironment;
}

/**
 * One environment's stack, named after it (`development`, `staging`, `production`) so that
 * `cdktf deploy production` deploys exactly that environment.
 */
export class MessagingStack extends TerraformStack {
  readonly messaging: MessagingEnvironment;

  constructor(scope: Construct, props: MessagingStackProps) {
    const { spec } = props;
    super(scope, spec.environment);

    addAwsProvider(this, spec.region);
    if (spec.remoteState) {
      const backend = new S3Backend(this, {
        bucket: spec.remoteState.bucket,
        key: spec.remoteState.key,
        encrypt: true,
        ...(spec.remoteState.region ? { region: spec.remoteState.region } : {}),
        ...(spec.remoteState.dynamodbTable ? { dynamodbTable: spec.remoteState.dynamodbTable } : {}),
      });
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3BackendConfig predates it.
      if (spec.remoteState.useLockfile) backend.addOverride('use_lockfile', true);
    }

    this.messaging = new MessagingEnvironment(this, 'messaging', { spec });
    this.addOutputs();
  }

  /**
   * Outputs named for what they hold (`order_queue_url`, `order_service_function_url`), read by apps
   * after `cdktf deploy --outputs-file`.
   */
  private addOutputs(): void {
    const output = (name: string, value: string, description: string) =>
      new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
    for (const [name, pair] of this.messaging.queuePairs) {
      const values: Record<QueueOutputKind, string> = {
        queue_url: pair.queueUrl,
        queue_arn: pair.queueArn,
        dlq_url: pair.deadLetterQueueUrl,
        dlq_arn: pair.deadLetterQueueArn,
        send_policy_arn: pair.access.sendPolicy.arn,
        consume_policy_arn: pair.access.consumePolicy.arn,
      };
      for (const kind of QUEUE_OUTPUTS) output(outputName(name, kind.what), values[kind.what], kind.describe(name));
    }
    output(ALERT_TOPIC_OUTPUT.what, this.messaging.alertTopicArn, ALERT_TOPIC_OUTPUT_DESCRIPTION);
    for (const [name, fn] of this.messaging.functions) {
      if (fn.functionUrl) output(functionUrlOutputName(name), fn.functionUrl.functionUrl, functionUrlOutputDescription(name));
    }
  }
}
