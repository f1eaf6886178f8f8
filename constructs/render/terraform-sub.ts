/**
 * A JSON document holding account strings (a dashboard body), written for Terraform the way
 * CloudFormation's `Fn::Sub` writes it: the whole text as one HCL string literal, its
 * `${AWS::Partition}`, `${AWS::Region}` and `${AWS::AccountId}` placeholders filled by `replace()`
 * with the data sources' values.
 *
 * Why not a token per account string, as other properties do: cdktf scans the rest of a string
 * once per token in it, so a 48-service dashboard body (250 KB, ~1,100 account tokens) took
 * about 1.5 s per environment to synthesize. Here the body holds at most three tokens whatever its
 * size, and Terraform computes the same text at plan time.
 */
import { Fn, Token, type IResolvable } from 'cdktf';
import { ACCOUNT_PLACEHOLDERS, referencedNodes, resolveValue, type AccountValues, type GraphValue } from '../../model';

/** `value` as JSON text, its account strings filled by Terraform (see the file comment). */
export function substitutedJson(value: GraphValue, account: () => AccountValues, where: string): string {
  const refs = referencedNodes(value);
  if (refs.length > 0) throw new Error(`${where}: a JSON document filled by replace() cannot refer to other nodes (it refers to ${refs.join(', ')})`);
  const text = JSON.stringify(resolveValue(value, { ref: () => undefined, accountString: (text) => text.$sub }));
  const used = ACCOUNT_PLACEHOLDERS.filter((name) => text.includes(placeholder(name)));
  if (used.length === 0) return text;
  const values = account();
  const filled: Record<(typeof ACCOUNT_PLACEHOLDERS)[number], string> = { 'AWS::Partition': values.partition, 'AWS::Region': values.region, 'AWS::AccountId': values.accountId };
  return used.reduce((expression, name) => Fn.replace(expression, hclString(placeholder(name)), filled[name]), hclString(text));
}

/**
 * Reads back what {@link substitutedJson} wrote (for the equivalence test): the JSON document, its
 * account strings as the graph's `{ $sub }` values. Throws on anything else.
 */
export function readSubstitutedJson(written: string): unknown {
  if (!written.startsWith('${replace(')) return accountStrings(JSON.parse(written));
  let rest = written.slice(2, -1);
  let depth = 0;
  while (rest.startsWith('replace(')) {
    rest = rest.slice('replace('.length);
    depth++;
  }
  const [text, afterText] = readHclString(rest, written);
  rest = afterText;
  for (let index = 0; index < depth; index++) {
    const filled = /^, ("[^"]*"), data\.aws_(partition|region|caller_identity)\.[^.]+\.(partition|region|account_id)\)/.exec(rest);
    if (!filled) throw new Error(`not a replace() written by substitutedJson: …${rest.slice(0, 80)}`);
    const [search] = readHclString(filled[1]!, written);
    const expected = { partition: 'AWS::Partition', region: 'AWS::Region', account_id: 'AWS::AccountId' }[filled[3] as 'partition' | 'region' | 'account_id'];
    if (search !== placeholder(expected)) throw new Error(`replace() of ${search} fills it with ${filled[3]}`);
    rest = rest.slice(filled[0].length);
  }
  if (rest !== '') throw new Error(`unexpected text after the replace() calls: ${rest.slice(0, 80)}`);
  return accountStrings(JSON.parse(text));
}

function placeholder(name: string): string {
  return `\${${name}}`;
}

/** Text still holding placeholders is an account string of the graph. */
function accountStrings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(accountStrings);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, accountStrings(item)]));
  return typeof value === 'string' && value.includes('${AWS::') ? { $sub: value } : value;
}

/**
 * `text` as an HCL quoted string (Terraform's escapes: `\\`, `\"`, `\n`, `\r`, `\t`, and `$${` /
 * `%%{` so that no template sequence starts). A token of its own: cdktf's `Fn.rawString` leaves
 * backslashes unescaped, which breaks any JSON text with an escaped quote in it.
 */
function hclString(text: string): string {
  const literal = `"${text.replace(/[\\"\n\r\t]/g, (char) => HCL_ESCAPES[char]!).replace(/([$%])\{/g, '$1$1{')}"`;
  const resolvable: IResolvable = { creationStack: [], resolve: () => literal, toString: () => literal };
  return Token.asString(resolvable);
}

const HCL_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The HCL quoted string at the start of `text` and what follows it. */
function readHclString(text: string, whole: string): [string, string] {
  if (!text.startsWith('"')) throw new Error(`expected a quoted string in ${whole.slice(0, 80)}…`);
  let value = '';
  for (let index = 1; index < text.length; index++) {
    const char = text[index]!;
    if (char === '"') return [value, text.slice(index + 1)];
    if (char === '\\') {
      const next = text[++index]!;
      const unescaped = { '\\': '\\', '"': '"', n: '\n', r: '\r', t: '\t' }[next];
      if (unescaped === undefined) throw new Error(`unexpected escape \\${next} in an HCL string`);
      value += unescaped;
    } else if ((char === '$' || char === '%') && text.startsWith(`${char}${char}{`, index)) {
      value += `${char}{`;
      index += 2;
    } else {
      value += char;
    }
  }
  throw new Error(`unterminated HCL string in ${whole.slice(0, 80)}…`);
}
