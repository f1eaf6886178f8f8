/**
 * `npm run prepare:cdktf` — builds the terminal library the cdktf CLI loads on every command
 * (`@cdktf/node-pty-prebuilt-multiarch`), once, before `npx cdktf synth|deploy|diff`.
 *
 * Why a separate step: the package ships no prebuilt binary for Node 24 (the project's pinned
 * Node), and npm 11 blocks dependency install scripts unless approved. Building it on every
 * `npm ci` would make tests depend on a C++ toolchain they do not need, so it is built here, on
 * demand, with npm's own node-gyp against the pinned Node's headers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const HELP = `Usage: npm run prepare:cdktf

Builds @cdktf/node-pty-prebuilt-multiarch for this project's Node (${process.version}) so that
\`npx cdktf synth|deploy|diff <environment>\` can run. Needs python3, make and a C++ compiler.
Run it once after \`npm ci\`; \`npm run synth\` and \`npm test\` do not need it.`;

function fail(message: string): never {
  console.error(`prepare:cdktf: ${message}`);
  process.exit(1);
}

function main(): void {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(HELP);
    return;
  }
  const root = path.resolve(__dirname, '..');
  const ptyPackage = path.join(root, 'node_modules', '@cdktf', 'node-pty-prebuilt-multiarch');
  if (!existsSync(ptyPackage)) fail(`${path.relative(root, ptyPackage)} is missing; run npm ci first`);
  if (existsSync(path.join(ptyPackage, 'build', 'Release', 'pty.node'))) {
    console.log('prepare:cdktf: already built');
    return;
  }
  // npm sets npm_execpath when it runs a script; its bundled node-gyp sits beside npm-cli.js.
  const npmCli = process.env.npm_execpath;
  if (!npmCli) fail('run it through npm: npm run prepare:cdktf');
  const nodeGyp = path.join(path.dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (!existsSync(nodeGyp)) fail(`npm's node-gyp was not found at ${nodeGyp}`);
  // Headers of the pinned Node (the `node` devDependency installs them with its binary), not
  // whatever nodedir npm is configured with.
  const headers = pinnedNodeHeaders(root);

  console.log(`prepare:cdktf: building the cdktf CLI's terminal library for Node ${process.version} ...`);
  // npm exports its own nodedir setting to scripts as npm_config_nodedir, which node-gyp prefers
  // over the flag: override both.
  const build = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${headers}`], {
    cwd: ptyPackage,
    stdio: 'inherit',
    env: { ...process.env, npm_config_nodedir: headers },
  });
  if (build.status !== 0) fail(`node-gyp exited with ${build.status ?? build.signal}; see its output above`);
  console.log('prepare:cdktf: done; npx cdktf synth|deploy <environment> can run now');
}

/** Folder holding `include/node/node.h` of the Node that runs this script. */
function pinnedNodeHeaders(root: string): string {
  const candidates = [
    (() => {
      try {
        const platformPackage = `node-${process.platform}-${process.arch}/package.json`;
        return path.dirname(require.resolve(platformPackage, { paths: [path.join(root, 'node_modules', 'node')] }));
      } catch {
        return undefined;
      }
    })(),
    path.resolve(path.dirname(process.execPath), '..'),
  ];
  const found = candidates.find((dir) => dir !== undefined && existsSync(path.join(dir, 'include', 'node', 'node.h')));
  if (!found) fail(`no headers for Node ${process.version} found (looked in ${candidates.filter(Boolean).join(', ')})`);
  return found;
}

main();
