/** Writes a template as YAML: deterministic, long-form intrinsics, YAML 1.1-safe quoting. */
import { Document, isMap, isPair, isScalar, isSeq, visit, type Node } from 'yaml';
import type { CfnTemplate } from './cfn';

/** First lines of every generated template: where it comes from and how to change it. */
export const GENERATED_HEADER = [
  ' GENERATED FILE - do not edit by hand.',
  ' Rendered by `npm run templates` (templates/generate.ts) from stacks/topology.ts and',
  ' stacks/environments.ts through the model (model/), the same source as the cdktf stacks.',
  ' Change those files and run `npm run templates`; test/templates fails when this file differs',
  ' from what the renderer writes.',
].join('\n');

/** Intrinsics whose argument list reads best on one line: `Fn::GetAtt: [OrderQueue, Arn]`. */
const ONE_LINE_INTRINSICS = new Set(['Fn::FindInMap', 'Fn::GetAtt', 'Fn::Equals']);

export function templateToYaml(template: CfnTemplate): string {
  // YAML 1.1 quoting: CloudFormation's parser reads `on`, `yes` or `2012-10-17` unquoted as
  // booleans or dates; quoted, they stay strings. No anchors/aliases: CloudFormation rejects them.
  const document = new Document(template, { version: '1.1', aliasDuplicateObjects: false });
  document.commentBefore = GENERATED_HEADER;
  visit(document, {
    Pair(_, pair) {
      if (isScalar(pair.key) && ONE_LINE_INTRINSICS.has(String(pair.key.value)) && isSeq(pair.value) && pair.value.items.every(isSimple)) {
        pair.value.flow = true;
        for (const item of pair.value.items) if (isMap(item)) item.flow = true;
      }
    },
  });
  return document.toString({ lineWidth: 0, directives: false, flowCollectionPadding: false });
}

/** A scalar, or a one-key map of a scalar (`Ref: Environment`). */
function isSimple(node: unknown): boolean {
  if (isScalar(node)) return true;
  return isMap(node) && node.items.length === 1 && isPair(node.items[0]) && isScalar((node.items[0] as { value: Node }).value);
}
