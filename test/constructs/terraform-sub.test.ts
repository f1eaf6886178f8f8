/**
 * substitutedJson: a JSON document with account strings, written as one HCL string literal filled
 * by Terraform's replace(). The text must survive HCL's escapes whatever it holds, and read back
 * to the very graph value.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { AwsAccount } from '../../constructs/render/aws-account';
import { readSubstitutedJson, substitutedJson } from '../../constructs/render/terraform-sub';
import { accountString, ref, type GraphValue } from '../../model';

function written(value: GraphValue): string {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'sub');
  new TerraformOutput(stack, 'body', { value: substitutedJson(value, () => AwsAccount.of(stack), 'test.Body') });
  return (JSON.parse(Testing.synth(stack)) as { output: { body: { value: string } } }).output.body.value;
}

const TRICKY = 'quotes " and \\ backslashes \\" \\\\, a ${template} and %{ if x } directive, $${ and %%{ already, a\nnewline\ttab\r, ünïcödé ✓';

test('a document with account strings becomes one literal and a replace() per placeholder used, three tokens whatever its size', () => {
  const value: GraphValue = {
    title: TRICKY,
    alarms: Array.from({ length: 200 }, (_, index) => accountString(`arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:a-${index}`)),
  };
  const text = written(value);
  expect(text.startsWith('${replace(replace(replace("')).toBe(true);
  expect(text.match(/data\.aws_/g)).toHaveLength(3);
  expect(readSubstitutedJson(text)).toEqual(value);
});

test('HCL escapes: the literal holds no bare quote, template start or raw control character, and reads back exactly', () => {
  const value: GraphValue = { text: TRICKY, region: accountString('${AWS::Region}') };
  const text = written(value);
  const literal = /^\$\{replace\("((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
  expect(literal).toBeDefined();
  expect(literal).not.toMatch(/(^|[^$])\$\{|(^|[^%])%\{|[\n\r\t]/);
  expect(text.match(/data\.aws_/g)).toHaveLength(1);
  expect(readSubstitutedJson(text)).toEqual(value);
});

test('a document without account strings stays plain JSON text', () => {
  const value: GraphValue = { widgets: [{ type: 'text', properties: { markdown: TRICKY } }] };
  const text = written(value);
  expect(JSON.parse(text)).toEqual(value);
  expect(readSubstitutedJson(text)).toEqual(value);
});

test('a reference to another node is refused, naming the property (replace() fills account values only)', () => {
  expect(() => substitutedJson({ queue: ref('OrderQueue', 'arn') }, () => ({ partition: 'p', region: 'r', accountId: 'a' }), 'Dashboard.DashboardBody')).toThrow(
    'Dashboard.DashboardBody: a JSON document filled by replace() cannot refer to other nodes (it refers to OrderQueue)',
  );
});

test('reading refuses text that is not what substitutedJson writes', () => {
  expect(() => readSubstitutedJson('${replace("{}", "$${AWS::Region}", data.aws_region.x.partition)}')).toThrow('fills it with partition');
  expect(() => readSubstitutedJson('${replace("{}", "$${AWS::Region}", data.aws_region.x.region)} ')).toThrow();
  expect(() => readSubstitutedJson('${replace("{\\q}", "$${AWS::Region}", data.aws_region.x.region)}')).toThrow('unexpected escape');
});

/**
 * Terraform itself evaluates what was written (locals only: no provider, no registry), the data
 * sources replaced by literal locals. Terraform is not part of the project's install, so this runs
 * where a `terraform` binary is on the PATH and is skipped, saying so, where it is not.
 */
const terraformInstalled = spawnSync('terraform', ['version'], { env: { ...process.env, TF_CLI_CONFIG_FILE: '' } }).status === 0;

(terraformInstalled ? test : test.skip)('Terraform evaluates the written text to the document with its account values filled (needs terraform on the PATH)', () => {
  const value: GraphValue = {
    title: TRICKY,
    alarms: [accountString('arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:a'), accountString('${AWS::Region}')],
  };
  const expression = written(value)
    .replace(/data\.aws_partition\.[^.]+\.partition/, 'local.partition')
    .replace(/data\.aws_region\.[^.]+\.region/, 'local.region')
    .replace(/data\.aws_caller_identity\.[^.]+\.account_id/, 'local.account');
  const folder = mkdtempSync(path.join(tmpdir(), 'terraform-sub-'));
  try {
    writeFileSync(
      path.join(folder, 'main.tf.json'),
      JSON.stringify({ locals: { partition: 'aws-cn', region: 'cn-north-1', account: '123456789012', body: expression }, output: { body: { value: '${local.body}' } } }),
    );
    const env = { ...process.env, TF_CLI_CONFIG_FILE: '', TF_IN_AUTOMATION: '1' };
    for (const args of [['init', '-input=false'], ['apply', '-auto-approve', '-input=false']]) {
      const run = spawnSync('terraform', args, { cwd: folder, env, encoding: 'utf8', timeout: 60_000 });
      expect({ args, status: run.status, stderr: run.stderr }).toMatchObject({ status: 0 });
    }
    const output = spawnSync('terraform', ['output', '-json', 'body'], { cwd: folder, env, encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(JSON.parse(output.stdout) as string)).toEqual({ title: TRICKY, alarms: ['arn:aws-cn:cloudwatch:cn-north-1:123456789012:alarm:a', 'cn-north-1'] });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
