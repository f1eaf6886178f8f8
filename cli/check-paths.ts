/**
 * The path options of `npm start` checked against the disk before anything starts: a folder option
 * pointing at a file (or under one), or a file option pointing at a folder, is a usage error naming
 * the flag, the value and the fix, instead of an EEXIST/EISDIR stack trace halfway through start-up.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_DATA_DIR, DEFAULT_ENV_FILE, DEFAULT_LOG_DIR, DEFAULT_OUTPUTS_FILE } from '../local/run-files';
import { UsageError, type StartOptions } from './options';

/** Throws UsageError for the first path option that cannot be used. */
export function checkPaths(options: StartOptions, cwd: string): void {
  const folders: [string, string | undefined, string][] = [
    ['--data-dir', options.dataDir, DEFAULT_DATA_DIR],
    ['--log-dir', options.logDir, DEFAULT_LOG_DIR],
  ];
  for (const [flag, value, example] of folders) {
    if (value === undefined) continue;
    const problem = folderProblem(path.resolve(cwd, value));
    if (problem) throw new UsageError(`${flag} must be a folder, but "${value}" ${problem}; pick a folder path, e.g. ${flag} ${example}`);
  }
  const files: [string, string, string][] = [
    ['--outputs', options.outputsFile, DEFAULT_OUTPUTS_FILE],
    ['--app-env', options.envFile, DEFAULT_ENV_FILE],
  ];
  for (const [flag, value, example] of files) {
    const absolute = path.resolve(cwd, value);
    if (kind(absolute) === 'folder') throw new UsageError(`${flag} must be a file, but "${value}" is a folder; name a file in it, e.g. ${flag} ${path.join(value, path.basename(example))}`);
    const problem = folderProblem(path.dirname(absolute));
    if (problem) throw new UsageError(`${flag} must be a file in a folder, but the folder of "${value}" ${problem}; pick another path, e.g. ${flag} ${example}`);
  }
}

/** Why `folder` cannot be a folder (it or an ancestor is a file), or undefined when it can. */
function folderProblem(folder: string): string | undefined {
  for (let current = folder; ; current = path.dirname(current)) {
    const found = kind(current);
    if (found === 'file') return current === folder ? 'is a file' : `is under ${current}, which is a file`;
    if (found === 'folder' || path.dirname(current) === current) return undefined;
  }
}

function kind(file: string): 'file' | 'folder' | 'missing' {
  try {
    return statSync(file).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}
