/**
 * Builds the Teams app package for one environment, the way the Agents Toolkit's
 * teamsApp/zipAppPackage does, but offline and scriptable:
 *
 *   npm run package -- --env local      (default: dev)
 *
 * 1. reads env/.env.<name>, then env/.env.<name>.user (git-ignored, may hold SECRET_ values);
 * 2. replaces every ${{NAME}} in appPackage/manifest.json; any placeholder left without a
 *    value (missing or empty) stops the build with the full list;
 * 3. validates the result against Microsoft's JSON schema for its manifestVersion, bundled in
 *    @microsoft/app-manifest (nothing is fetched);
 * 4. writes appPackage/build/manifest.<name>.json and appPackage/build/appPackage.<name>.zip
 *    (manifest.json + the two icons at the zip root).
 */
import { readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import JSZip from 'jszip';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
/** A fixed timestamp keeps the zip byte-for-byte the same for the same inputs. */
const ZIP_DATE = new Date(Date.UTC(2020, 6, 1));

export class UnresolvedPlaceholdersError extends Error {
  constructor(
    readonly envName: string,
    readonly names: readonly string[],
    readonly envFiles: readonly string[],
  ) {
    super(
      `appPackage/manifest.json has ${names.length} placeholder(s) with no value for env "${envName}":\n` +
        names.map((n) => `  - ${n}`).join('\n') +
        `\nSet them in ${envFiles.join(' or ')} (the Agents Toolkit writes most of them during provision).`,
    );
    this.name = 'UnresolvedPlaceholdersError';
  }
}

export class ManifestSchemaError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The resolved manifest does not match Microsoft's schema:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ManifestSchemaError';
  }
}

/** Parses a dotenv file: KEY=VALUE lines, # comments, optional single or double quotes. */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const key = match[1] as string;
    let value = match[2] as string;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) {
      value = value.slice(1, value.lastIndexOf(quote));
      if (quote === '"') value = value.replace(/\\n/g, '\n');
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    values[key] = value;
  }
  return values;
}

export interface LoadedEnv {
  readonly values: Record<string, string>;
  /** The files read, in the order they were applied. */
  readonly files: readonly string[];
}

/** env/.env.<name> then env/.env.<name>.user; the second wins. A missing base file is an error. */
export function loadEnv(envDir: string, envName: string): LoadedEnv {
  if (!/^[A-Za-z0-9_-]+$/.test(envName)) throw new Error(`"${envName}" is not an environment name`);
  const base = join(envDir, `.env.${envName}`);
  if (!existsSync(base)) throw new Error(`No environment file ${base}: create it or pick another --env`);
  const files = [base];
  const values = parseEnvFile(readFileSync(base, 'utf8'));
  const user = `${base}.user`;
  if (existsSync(user)) {
    files.push(user);
    Object.assign(values, parseEnvFile(readFileSync(user, 'utf8')));
  }
  return { values, files };
}

/** Every placeholder name used anywhere in a JSON value, sorted, once each. */
export function placeholdersIn(value: unknown): string[] {
  const names = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') for (const m of v.matchAll(PLACEHOLDER)) names.add(m[1] as string);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return [...names].sort();
}

/**
 * Replaces placeholders inside the JSON's string values (never in the raw text, so a value
 * with a quote in it cannot break the JSON). Returns the names that had no non-empty value.
 */
export function resolvePlaceholders<T>(value: T, env: Record<string, string | undefined>): { value: T; unresolved: string[] } {
  const unresolved = new Set<string>();
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.replace(PLACEHOLDER, (whole, name: string) => {
        const replacement = env[name];
        if (replacement === undefined || replacement.trim() === '') {
          unresolved.add(name);
          return whole;
        }
        return replacement;
      });
    }
    if (Array.isArray(v)) return v.map(visit);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, visit(inner)]));
    }
    return v;
  };
  return { value: visit(value) as T, unresolved: [...unresolved].sort() };
}

/** Path of Microsoft's schema for a manifest version, as bundled in @microsoft/app-manifest. */
export function bundledSchemaPath(manifestVersion: string): string {
  if (!/^(1\.\d+|devPreview)$/.test(manifestVersion)) throw new Error(`Unknown manifestVersion "${manifestVersion}"`);
  const folder = manifestVersion === 'devPreview' ? 'vDevPreview' : `v${manifestVersion}`;
  const require = createRequire(import.meta.url);
  const packageRoot = dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const path = join(packageRoot, 'build', 'json-schemas', 'teams', folder, 'MicrosoftTeams.schema.json');
  if (!existsSync(path)) throw new Error(`@microsoft/app-manifest has no bundled schema for manifestVersion ${manifestVersion}`);
  return path;
}

export function loadBundledSchema(manifestVersion: string): object {
  // Some published schemas carry \a and \v escapes that JSON does not allow; the package's own
  // loader rewrites them the same way.
  const text = readFileSync(bundledSchemaPath(manifestVersion), 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  return JSON.parse(text) as object;
}

/** Schema problems of a resolved manifest; empty when it is valid. Fully offline. */
export async function validateManifest(manifest: Record<string, unknown>): Promise<string[]> {
  const version = manifest['manifestVersion'];
  if (typeof version !== 'string') return ['/manifestVersion is missing'];
  const schema = loadBundledSchema(version);
  type Schema = Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];
  return AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest, schema as Schema);
}

export interface PackageOptions {
  readonly envName: string;
  /** Folder holding .env.<name> files; default <root>/env. */
  readonly envDir?: string;
  /** Folder holding manifest.json and the icons; default <root>/appPackage. */
  readonly appPackageDir?: string;
  /** Where to write; default <appPackageDir>/build. */
  readonly outDir?: string;
  /** Values used for names the env files leave unset or empty (the CLI passes process.env). */
  readonly fallbackEnv?: Record<string, string | undefined>;
}

export interface PackageResult {
  readonly manifest: Record<string, unknown>;
  readonly manifestPath: string;
  readonly zipPath: string;
  readonly envFiles: readonly string[];
}

export async function packageApp(options: PackageOptions): Promise<PackageResult> {
  const appPackageDir = options.appPackageDir ?? join(PROJECT_ROOT, 'appPackage');
  const envDir = options.envDir ?? join(PROJECT_ROOT, 'env');
  const outDir = options.outDir ?? join(appPackageDir, 'build');
  const { values, files } = loadEnv(envDir, options.envName);

  const env: Record<string, string | undefined> = { ...options.fallbackEnv };
  for (const [key, value] of Object.entries(values)) if (value.trim() !== '' || env[key] === undefined) env[key] = value;

  const template = JSON.parse(readFileSync(join(appPackageDir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const { value: manifest, unresolved } = resolvePlaceholders(template, env);
  if (unresolved.length > 0) throw new UnresolvedPlaceholdersError(options.envName, unresolved, files);

  const problems = await validateManifest(manifest);
  if (problems.length > 0) throw new ManifestSchemaError(problems);

  const icons = manifest['icons'] as { color: string; outline: string };
  const manifestJson = `${JSON.stringify(manifest, null, 2)}\n`;
  const zip = new JSZip();
  zip.file('manifest.json', manifestJson, { date: ZIP_DATE });
  for (const icon of [icons.color, icons.outline]) {
    zip.file(icon, readFileSync(join(appPackageDir, icon)), { date: ZIP_DATE });
  }
  const zipBytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });

  mkdirSync(outDir, { recursive: true });
  const manifestPath = join(outDir, `manifest.${options.envName}.json`);
  const zipPath = join(outDir, `appPackage.${options.envName}.zip`);
  writeFileSync(manifestPath, manifestJson);
  writeFileSync(zipPath, zipBytes);
  return { manifest, manifestPath, zipPath, envFiles: files };
}

function envNameFromArgs(argv: readonly string[]): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--env' || arg === '-e') {
      const next = argv[i + 1];
      if (!next) throw new Error('--env needs a name, e.g. --env local');
      return next;
    }
    if (arg.startsWith('--env=')) return arg.slice('--env='.length);
  }
  return 'dev';
}

async function main(): Promise<void> {
  const envName = envNameFromArgs(process.argv.slice(2));
  try {
    const result = await packageApp({ envName, fallbackEnv: process.env });
    console.log(`Read ${result.envFiles.map((f) => f.slice(PROJECT_ROOT.length + 1)).join(', ')}`);
    console.log(`Wrote ${result.manifestPath.slice(PROJECT_ROOT.length + 1)}`);
    console.log(`Wrote ${result.zipPath.slice(PROJECT_ROOT.length + 1)}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
