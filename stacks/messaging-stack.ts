import path from 'node:path';
import { App, LocalBackend, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { addAwsProvider, MessagingEnvironment } from '../constructs';
import type { EnvironmentGraph } from '../model';

export interface MessagingStackProps {
  /** The environment's graph, built by the model. */
  readonly graph: EnvironmentGraph;
}

/**
 * One environment's stack, named after its name prefix (`production`, or `<scope>-production`
 * with a scope) so that `cdktf deploy production` deploys exactly that environment.
 */
export class MessagingStack extends TerraformStack {
  readonly messaging: MessagingEnvironment;

  constructor(scope: Construct, props: MessagingStackProps) {
    const { graph } = props;
    super(scope, graph.namePrefix);
    const settings = graph.settings;

    addAwsProvider(this, settings.region);
    if (settings.remoteState) {
      const backend = new S3Backend(this, {
        bucket: settings.remoteState.bucket,
        key: settings.remoteState.key,
        encrypt: true,
        ...(settings.remoteState.region ? { region: settings.remoteState.region } : {}),
        ...(settings.remoteState.dynamodbTable ? { dynamodbTable: settings.remoteState.dynamodbTable } : {}),
      });
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3BackendConfig predates it.
      if (settings.remoteState.useLockfile) backend.addOverride('use_lockfile', true);
    } else {
      new LocalBackend(this, { path: localStatePath(scope, graph.namePrefix) });
    }

    this.messaging = new MessagingEnvironment(this, 'messaging', { graph });
    // Outputs named for what they hold (`order_queue_url`), read by apps after
    // `cdktf deploy --outputs-file`.
    for (const output of graph.outputs) {
      new TerraformOutput(this, output.name, { value: this.messaging.resolve(output.value), description: output.description }).overrideLogicalId(output.name);
    }
  }
}

/**
 * The state file beside the output folder (`terraform.<stack>.tfstate`, where cdktf keeps it by
 * default), as a path relative to the stack's folder, where Terraform runs: the synthesized JSON
 * holds no absolute path of the machine that synthesized it.
 */
function localStatePath(scope: Construct, stackName: string): string {
  const outdir = path.resolve(App.of(scope).outdir);
  const stackDirectory = path.join(outdir, 'stacks', stackName);
  const stateFile = path.join(path.dirname(outdir), `terraform.${stackName}.tfstate`);
  return path.relative(stackDirectory, stateFile).split(path.sep).join('/');
}
