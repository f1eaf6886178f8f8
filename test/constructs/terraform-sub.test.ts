/**
 * substitutedJson: a JSON document with account strings, written as one HCL string literal filled
 * by Terraform's replace(). The text must survive HCL's escapes whatever it holds, and read back
 * to the very graph value.
 */
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
