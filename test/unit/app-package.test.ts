import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ManifestSchemaError,
  PROJECT_ROOT,
  UnresolvedPlaceholdersError,
  bundledSchemaPath,
  loadBundledSchema,
  packageApp,
  parseEnvFile,
  placeholdersIn,
  validateManifest,
  type PackageResult,
} from '../../scripts/package-app.js';

type Json = Record<string, any>;

const TEST_ENV = {
  TEAMSFX_ENV: 'unittest',
  APP_NAME_SUFFIX: ' (test)',
  TEAMS_APP_ID: '11111111-1111-4111-8111-111111111111',
  BOT_ID: '22222222-2222-4222-8222-222222222222',
  TAB_CLIENT_ID: '33333333-3333-4333-8333-333333333333',
  TAB_DOMAIN: 'saferexec-test.azurewebsites.net',
  TAB_ENDPOINT: 'https://saferexec-test.azurewebsites.net',
};
const EXPECTED_COMMANDS = ['my actions', 'report', 'help'];

function envText(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}="${v}"`)
    .join('\n');
}

let work: string;
let envDir: string;
let result: PackageResult;
let manifest: Json;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'safer-exec-app-package-'));
  envDir = join(work, 'env');
  cpSync(join(PROJECT_ROOT, 'env'), envDir, { recursive: true, filter: (src) => !src.endsWith('.user') });
  writeFileSync(join(envDir, '.env.unittest'), envText(TEST_ENV));
  result = await packageApp({ envName: 'unittest', envDir, outDir: join(work, 'build') });
  manifest = result.manifest as Json;
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('Teams app package', () => {
  it('resolves every ${{…}} placeholder from the env files', () => {
    const written = readFileSync(result.manifestPath, 'utf8');
    expect(written).not.toContain('${{');
    expect(manifest['id']).toBe(TEST_ENV.TEAMS_APP_ID);
    expect(manifest['name'].short).toBe('Safer Exec (test)');
    expect(result.manifestPath.endsWith(join('build', 'manifest.unittest.json'))).toBe(true);
    expect(result.zipPath.endsWith(join('build', 'appPackage.unittest.zip'))).toBe(true);
  });

  it("matches Microsoft's own schema for its manifest version, loaded offline from @microsoft/app-manifest", async () => {
    const schemaFile = bundledSchemaPath(manifest['manifestVersion']);
    expect(schemaFile).toContain(join('@microsoft', 'app-manifest'));
    const schema = loadBundledSchema(manifest['manifestVersion']) as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];
    const problems = await AppManifestUtils.validateAgainstSchema(manifest as AppManifest, schema);
    expect(problems).toEqual([]);
    expect(manifest['$schema']).toBe(`https://developer.microsoft.com/json-schemas/teams/v${manifest['manifestVersion']}/MicrosoftTeams.schema.json`);
  });

  it('uses the newest numbered manifest schema bundled with @microsoft/app-manifest', () => {
    const teamsSchemas = join(bundledSchemaPath('1.0'), '..', '..');
    const newest = readdirSync(teamsSchemas)
      .map((d) => /^v1\.(\d+)$/.exec(d))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => b - a)[0];
    expect(manifest['manifestVersion']).toBe(`1.${newest}`);
  });

  it('a deliberately broken copy fails the same validation', async () => {
    const broken = structuredClone(manifest);
    delete broken.bots[0].botId;
    broken.bots[0].scopes = ['personal', 'everywhere'];
    broken.name.short = 'Safer Exec with a name far longer than Teams allows';
    broken.staticTabs[0].contentUrl = 'ftp://example.test/tab';
    const problems = await validateManifest(broken);
    expect(problems.length).toBeGreaterThanOrEqual(4);
    expect(problems.join('\n')).toMatch(/botId/);
    expect(problems.join('\n')).toMatch(/\/name\/short/);
    expect(problems.join('\n')).toMatch(/\/staticTabs\/0\/contentUrl/);
  });

  it('refuses to package a manifest that breaks the schema', async () => {
    const appPackageDir = join(work, 'broken-app-package');
    cpSync(join(PROJECT_ROOT, 'appPackage'), appPackageDir, { recursive: true, filter: (src) => !src.includes(`${join('appPackage', 'build')}`) });
    const template = JSON.parse(readFileSync(join(appPackageDir, 'manifest.json'), 'utf8')) as Json;
    template.bots[0].commandLists[0].commands.push({ description: 'a command with no title' });
    writeFileSync(join(appPackageDir, 'manifest.json'), JSON.stringify(template));
    await expect(packageApp({ envName: 'unittest', envDir, appPackageDir, outDir: join(work, 'broken-build') })).rejects.toBeInstanceOf(ManifestSchemaError);
  });

  it('fails with the full list of placeholders that have no value', async () => {
    const { TEAMS_APP_ID: _id, BOT_ID: _bot, ...partial } = TEST_ENV;
    writeFileSync(join(envDir, '.env.partial'), `${envText(partial)}\nBOT_ID=\n`);
    const failure = await packageApp({ envName: 'partial', envDir, outDir: join(work, 'partial') }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UnresolvedPlaceholdersError);
    expect((failure as UnresolvedPlaceholdersError).names).toEqual(['BOT_ID', 'TEAMS_APP_ID']);
    expect((failure as Error).message).toContain('.env.partial');
  });

  it('lets env/.env.<name>.user override env/.env.<name>', async () => {
    writeFileSync(join(envDir, '.env.layered'), envText({ ...TEST_ENV, BOT_ID: '' }));
    writeFileSync(join(envDir, '.env.layered.user'), `BOT_ID=${TEST_ENV.BOT_ID}\n`);
    const layered = await packageApp({ envName: 'layered', envDir, outDir: join(work, 'layered') });
    expect((layered.manifest as Json).bots[0].botId).toBe(TEST_ENV.BOT_ID);
    expect(layered.envFiles.map((f) => f.slice(envDir.length + 1))).toEqual(['.env.layered', '.env.layered.user']);
  });

  it('zips manifest.json and the two icons at the root, and nothing else', async () => {
    const zip = await JSZip.loadAsync(readFileSync(result.zipPath));
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const zipped = JSON.parse(await zip.file('manifest.json')!.async('string')) as Json;
    expect(zipped).toEqual(manifest);
    expect(await zip.file('color.png')!.async('nodebuffer')).toEqual(readFileSync(join(PROJECT_ROOT, 'appPackage', 'color.png')));
  });

  it('ships a 192×192 colour icon and a 32×32 white-on-transparent outline icon', async () => {
    const zip = await JSZip.loadAsync(readFileSync(result.zipPath));
    const color = PNG.sync.read(await zip.file(manifest['icons'].color)!.async('nodebuffer'));
    const outline = PNG.sync.read(await zip.file(manifest['icons'].outline)!.async('nodebuffer'));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);

    let opaque = 0;
    let transparent = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = [outline.data[i], outline.data[i + 1], outline.data[i + 2], outline.data[i + 3]];
      if (a === 0) transparent++;
      else {
        opaque++;
        expect([r, g, b]).toEqual([255, 255, 255]);
      }
    }
    expect(opaque).toBeGreaterThan(100);
    expect(transparent).toBeGreaterThan(100);
    // The colour icon has no transparent corners (Teams shows it on its own background).
    expect(color.data[3]).toBe(255);
  });

  it('offers exactly "my actions", "report" and "help", each described, in personal, team and group chat', () => {
    const [bot] = manifest['bots'] as Json[];
    expect(bot!['scopes']).toEqual(expect.arrayContaining(['personal', 'team', 'groupChat']));
    for (const scope of ['personal', 'team', 'groupChat']) {
      const lists = (bot!['commandLists'] as Json[]).filter((l) => (l['scopes'] as string[]).includes(scope));
      expect(lists, `command list for ${scope}`).toHaveLength(1);
      const commands = lists[0]!['commands'] as Json[];
      expect(commands.map((c) => c['title'])).toEqual(EXPECTED_COMMANDS);
      for (const c of commands) expect((c['description'] as string).length).toBeGreaterThan(10);
    }
  });

  it('has the action log and memberships as personal tabs and a channel tab configured at /tab/config.html', () => {
    const tabs = manifest['staticTabs'] as Json[];
    expect(tabs.map((t) => t['entityId'])).toEqual(['action-log', 'memberships']);
    for (const tab of tabs) {
      expect(tab['scopes']).toEqual(['personal']);
      expect(tab['contentUrl']).toMatch(new RegExp(`^${TEST_ENV.TAB_ENDPOINT}/tab/index\\.html`));
    }
    const [channelTab] = manifest['configurableTabs'] as Json[];
    expect(channelTab!['configurationUrl']).toBe(`${TEST_ENV.TAB_ENDPOINT}/tab/config.html`);
    expect([...(channelTab!['scopes'] as string[])].sort()).toEqual(['groupChat', 'team']);
  });

  it('declares tab SSO for the tab app on the app domain, and that domain as valid', () => {
    expect(manifest['webApplicationInfo']).toEqual({
      id: TEST_ENV.TAB_CLIENT_ID,
      resource: `api://${TEST_ENV.TAB_DOMAIN}/${TEST_ENV.TAB_CLIENT_ID}`,
    });
    expect(manifest['validDomains']).toEqual([TEST_ENV.TAB_DOMAIN]);
  });

  it('asks for no resource-specific consent: the bot reads rosters and sends through the Bot Connector, which needs none', () => {
    expect(manifest['authorization']?.permissions?.resourceSpecific ?? []).toEqual([]);
    expect(manifest['permissions'] ?? []).toEqual([]);
  });
});

describe('committed environments', () => {
  const template = JSON.parse(readFileSync(join(PROJECT_ROOT, 'appPackage', 'manifest.json'), 'utf8')) as Json;

  it.each(['dev', 'local'])('env/.env.%s names every placeholder the manifest uses, so provision can fill it', (name) => {
    const keys = Object.keys(parseEnvFile(readFileSync(join(PROJECT_ROOT, 'env', `.env.${name}`), 'utf8')));
    expect(placeholdersIn(template).filter((p) => !keys.includes(p))).toEqual([]);
  });

  it('keeps secrets out of the committed env files', () => {
    for (const file of readdirSync(join(PROJECT_ROOT, 'env')).filter((f) => /^\.env\.[a-z]+$/.test(f))) {
      const values = parseEnvFile(readFileSync(join(PROJECT_ROOT, 'env', file), 'utf8'));
      for (const [key, value] of Object.entries(values)) {
        if (/SECRET|PASSWORD/.test(key)) expect(value, `${file} ${key}`).toBe('');
      }
    }
  });
});
