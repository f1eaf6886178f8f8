/**
 * The package as another team consumes it: compiled to CommonJS with declarations (`npm run build`),
 * required from a plain Node program (no TypeScript loader), used to synthesize a stack; its
 * operator command (the `sqs-messaging-ops` bin) runs from the same output.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

it('compiles with declarations and synthesizes a queue pair from plain JavaScript', () => {
  // Inside the project, so the compiled files resolve cdktf from the project's node_modules.
  mkdirSync(path.join(root, '.build'), { recursive: true });
  const scratch = mkdtempSync(path.join(root, '.build', 'package-test-'));
  try {
    const outDir = path.join(scratch, 'dist');
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', outDir], {
      stdio: 'pipe',
    });
    expect(readFileSync(path.join(outDir, 'constructs', 'index.d.ts'), 'utf8')).toContain('QueuePair');
    // The package's sqs-messaging-ops bin runs from the compiled output too.
    expect(execFileSync(process.execPath, [path.join(outDir, 'ops', 'cli.js'), '--help'], { encoding: 'utf8' })).toContain('dlq redrive <queue>');
    const program = `
      const { App, TerraformStack } = require('cdktf');
      const { QueuePair, addAwsProvider } = require(${JSON.stringify(path.join(outDir, 'constructs', 'index.js'))});
      const app = new App({ outdir: ${JSON.stringify(path.join(scratch, 'cdktf.out'))} });
      const stack = new TerraformStack(app, 'consumer');
      addAwsProvider(stack);
      const pair = new QueuePair(stack, 'audit', { environment: 'staging', queue: { name: 'audit' } });
      pair.grantSend({ name: 'audit-writer' });
      app.synth();
    `;
    execFileSync(process.execPath, ['-e', program], { stdio: 'pipe' });
    const synthesized = JSON.parse(readFileSync(path.join(scratch, 'cdktf.out', 'stacks', 'consumer', 'cdk.tf.json'), 'utf8'));
    const names = Object.values(synthesized.resource.aws_sqs_queue as Record<string, { name: string }>).map((q) => q.name).sort();
    expect(names).toEqual(['staging-audit-dlq', 'staging-audit-queue']);
    expect(Object.values(synthesized.resource.aws_iam_role_policy_attachment)).toEqual([
      expect.objectContaining({ role: 'audit-writer' }),
    ]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
