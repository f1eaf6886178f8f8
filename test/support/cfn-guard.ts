/**
 * cfn-guard and AWS Control Tower's proactive-control rules, taken from the npm package
 * `@cdklabs/cdk-validator-cfnguard`, which ships both (the cfn-guard binaries for Linux and macOS
 * and the rules, under `bin/` and `rules/control-tower/`).
 *
 * The package is not a devDependency: it declares `aws-cdk-lib` as a peer dependency, which needs
 * `constructs` ^10.5 while cdktf-cli pins 10.4.2 (npm refuses the install with ERESOLVE), and it
 * would add ~190 MB of aws-cdk-lib the project never loads. Instead the pinned tarball is fetched
 * once with `npm pack` (the npm registry, through npm itself; its sha512 integrity is checked
 * against the pinned value) and only the binary and the rules are unpacked into
 * `.build/tools/` (git-ignored). Later runs reuse them.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CFN_GUARD_PACKAGE = {
  name: '@cdklabs/cdk-validator-cfnguard',
  version: '0.0.62',
  integrity: 'sha512-Sg2k8067B0AIJ82QFSLhHTUIqxOYTKABvVrTHiyc6j0rE2NHli2diIYqf+w+DkuDKCYYgMIOga3OrYMOHUw0mQ==',
} as const;

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const TOOL_DIRECTORY = path.join(PROJECT_ROOT, '.build', 'tools', `cdk-validator-cfnguard-${CFN_GUARD_PACKAGE.version}`);

export interface CfnGuard {
  readonly binary: string;
  /** `rules/control-tower/cfn-guard`: one folder of `.guard` files per service. */
  readonly rulesDirectory: string;
}

function binaryPath(root: string): string {
  const platform = ({ linux: 'ubuntu', darwin: 'macos' } as Record<string, string>)[process.platform];
  const arch = ({ x64: 'x86_64', arm64: 'aarch64' } as Record<string, string>)[process.arch];
  if (!platform || !arch) throw new Error(`${CFN_GUARD_PACKAGE.name} ships no cfn-guard for ${process.platform}/${process.arch}`);
  return path.join(root, 'package', 'bin', platform, arch, 'cfn-guard');
}

/** The cfn-guard binary and the Control Tower rules, fetched and unpacked on first use. */
export function cfnGuard(): CfnGuard {
  const result = { binary: binaryPath(TOOL_DIRECTORY), rulesDirectory: path.join(TOOL_DIRECTORY, 'package', 'rules', 'control-tower', 'cfn-guard') };
  if (existsSync(result.binary) && existsSync(result.rulesDirectory)) return result;

  mkdirSync(path.dirname(TOOL_DIRECTORY), { recursive: true });
  const staging = mkdtempSync(`${TOOL_DIRECTORY}.tmp-`);
  try {
    const spec = `${CFN_GUARD_PACKAGE.name}@${CFN_GUARD_PACKAGE.version}`;
    const pack = run('npm', ['pack', spec, '--json', '--pack-destination', staging]);
    const [packed] = JSON.parse(pack) as { filename: string; integrity: string }[];
    if (!packed || packed.integrity !== CFN_GUARD_PACKAGE.integrity) {
      throw new Error(`${spec}: integrity ${packed?.integrity} does not match the pinned ${CFN_GUARD_PACKAGE.integrity}`);
    }
    const binaryInPackage = path.relative(staging, binaryPath(staging));
    run('tar', ['-xzf', path.join(staging, packed.filename), '-C', staging, binaryInPackage, 'package/rules/control-tower', 'package/LICENSE']);
    rmSync(path.join(staging, packed.filename));
    // Another process may have finished first; either copy is the same.
    if (!existsSync(TOOL_DIRECTORY)) {
      renameSync(staging, TOOL_DIRECTORY);
      chmodSync(TOOL_DIRECTORY, 0o755);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  if (!existsSync(result.binary)) throw new Error(`cfn-guard not found at ${result.binary} after unpacking`);
  return result;
}

function run(command: string, args: readonly string[]): string {
  const child = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${child.status ?? child.signal}): ${child.stderr || child.error}`);
  return child.stdout;
}

/** One rule not met by one resource of one document. */
export interface GuardFinding {
  /** The document's name, e.g. the environment. */
  readonly document: string;
  /** Control Tower control id, e.g. `CT.SQS.PR.1`. */
  readonly control: string;
  /** cfn-guard rule name, e.g. `sqs_dlq_check`. */
  readonly rule: string;
  /** Logical id of the resource. */
  readonly resource: string;
}

export interface GuardReport {
  readonly findings: readonly GuardFinding[];
  /** Rule names that evaluated at least one resource and passed, per document. */
  readonly compliant: Readonly<Record<string, readonly string[]>>;
}

/** Runs the rules in `ruleFolders` (folders of `rulesDirectory`) over each named JSON document. */
export function runCfnGuard(ruleFolders: readonly string[], documents: Readonly<Record<string, unknown>>): GuardReport {
  const guard = cfnGuard();
  const dataDirectory = mkdtempSync(path.join(os.tmpdir(), 'cfn-guard-data-'));
  try {
    for (const [name, document] of Object.entries(documents)) writeFileSync(path.join(dataDirectory, `${name}.json`), JSON.stringify(document, null, 1));
    const args = ['validate', '--data', dataDirectory, ...ruleFolders.flatMap((folder) => ['--rules', path.join(guard.rulesDirectory, folder)]), '--output-format', 'json', '--structured', '--show-summary', 'none'];
    const child = spawnSync(guard.binary, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    // Exit code 19 means "some rule failed"; anything else but 0 is an error of cfn-guard itself.
    if (child.status !== 0 && child.status !== 19) throw new Error(`cfn-guard failed (${child.status ?? child.signal}): ${child.stderr}`);
    const results = JSON.parse(child.stdout) as { name: string; not_compliant: { Rule: { name: string } }[]; compliant: string[] }[];
    const findings: GuardFinding[] = [];
    const compliant: Record<string, string[]> = {};
    for (const result of results) {
      const document = path.basename(result.name, '.json');
      compliant[document] = [...(compliant[document] ?? []), ...result.compliant].sort();
      for (const failure of result.not_compliant) {
        const controls = new Set<string>();
        const resources = new Set<string>();
        collect(failure, controls, resources);
        const control = [...controls].join(',') || failure.Rule.name;
        if (resources.size === 0) findings.push({ document, control, rule: failure.Rule.name, resource: '(template)' });
        for (const resource of resources) findings.push({ document, control, rule: failure.Rule.name, resource });
      }
    }
    return { findings: findings.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), compliant };
  } finally {
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}

/** Control ids from the rules' messages and the resources their failed clauses point at. */
function collect(node: unknown, controls: Set<string>, resources: Set<string>): void {
  if (Array.isArray(node)) return node.forEach((item) => collect(item, controls, resources));
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'path' && typeof value === 'string') {
      const resource = /^\/Resources\/([^/[]+)/.exec(value)?.[1];
      if (resource) resources.add(resource);
    } else if (key === 'custom_message' && typeof value === 'string') {
      const control = /\[(CT\.[A-Z0-9]+\.PR\.\d+)\]/.exec(value)?.[1];
      if (control) controls.add(control);
    } else collect(value, controls, resources);
  }
}

/** The service folders the pinned rules have. */
export function ruleFolders(): string[] {
  return readdirSync(cfnGuard().rulesDirectory).sort();
}
