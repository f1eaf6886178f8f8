/**
 * templates/messaging.yaml is generated, never hand-edited: it must be exactly what
 * `npm run templates` writes from the current spec, and it must read back as the same template.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { buildMessagingTemplate, GENERATED_HEADER, MESSAGING_TEMPLATE_FILE, type BuiltTemplate } from '../../templates/render';

let built: BuiltTemplate;
let committed: string;
beforeAll(() => {
  built = buildMessagingTemplate();
  committed = readFileSync(MESSAGING_TEMPLATE_FILE, 'utf8');
});

describe('templates/messaging.yaml', () => {
  it('is what `npm run templates` writes from the current spec', () => {
    if (committed === built.yaml) return;
    const ours = committed.split('\n');
    const theirs = built.yaml.split('\n');
    const line = ours.findIndex((text, index) => text !== theirs[index]);
    throw new Error(
      `${path.relative(process.cwd(), MESSAGING_TEMPLATE_FILE)} is out of date: run \`npm run templates\` and commit the result.\n` +
        `First difference at line ${line + 1}:\n  committed: ${ours[line] ?? '(end of file)'}\n  rendered:  ${theirs[line] ?? '(end of file)'}`,
    );
  });

  it('starts with the generated-file header', () => {
    expect(committed.startsWith(GENERATED_HEADER.split('\n').map((line) => `#${line}`).join('\n'))).toBe(true);
  });

  it('reads back (YAML 1.1, as CloudFormation reads it) as exactly the rendered template', () => {
    expect(parse(committed, { version: '1.1' })).toEqual(JSON.parse(JSON.stringify(built.template)));
  });

  it('hard-codes no account id, region or credentials', () => {
    expect(committed).not.toMatch(/\b\d{12}\b/);
    expect(committed).not.toMatch(/\b(us|eu|ap|sa|ca|me|af|il|mx)-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d\b/);
    expect(committed).not.toMatch(/AKIA[0-9A-Z]{16}/);
    expect(committed).toContain('${AWS::AccountId}');
  });

  it('is deterministic', () => {
    expect(buildMessagingTemplate().yaml).toBe(built.yaml);
  });
});
