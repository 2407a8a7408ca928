/**
 * `npm start` runs this instead of a full Vite build each time: the tab is rebuilt only when
 * what goes into it changed (its sources, the domain it shares, the lock file), so a restart
 * takes seconds, not the build's ~18 s. The fingerprint of the last build is kept in tab/dist.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const INPUTS = ['tab', 'bot/domain', 'bot/services', 'package-lock.json'];
const STAMP = join(root, 'tab', 'dist', '.source-fingerprint');

function files(path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [path];
  return readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((f) => !f.startsWith(join('tab', 'dist')));
}

export function sourceFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files).sort()) {
    hash.update(file).update('\0').update(readFileSync(join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

const fingerprint = sourceFingerprint();
const built = existsSync(join(root, 'tab', 'dist', 'index.html')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === fingerprint;
if (built && !process.argv.includes('--force')) {
  process.stdout.write('The tab is up to date (sources unchanged since its last build).\n');
} else {
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:tab'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(STAMP, fingerprint);
}
