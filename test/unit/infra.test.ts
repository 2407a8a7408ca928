/**
 * Structural checks of infra/azure.bicep and the Agents Toolkit project files.
 *
 * No Bicep compiler can be installed on this machine (Debian has no bicep package, `az bicep
 * install` and the npm wrappers download a binary from GitHub), so this test reads the Bicep
 * as text: it finds each resource block by brace matching and checks the properties the app
 * depends on. It proves the template says what we mean; `az bicep build infra/azure.bicep`
 * (or provision) is still what proves it compiles.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, placeholdersIn, parseEnvFile } from '../../scripts/package-app.js';

const bicep = readFileSync(join(PROJECT_ROOT, 'infra', 'azure.bicep'), 'utf8');
/** The template without // comments, so a commented-out line never satisfies a check. */
const code = bicep
  .split('\n')
  .map((line) => line.replace(/(^|[^:'])\/\/.*$/, '$1'))
  .join('\n');

interface BicepResource {
  readonly symbol: string;
  readonly type: string;
  readonly apiVersion: string;
  readonly body: string;
}

/** Text between the brace at `open` and its partner, skipping braces inside '...' strings. */
function block(text: string, open: number): string {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === "'") inString = false;
      continue;
    }
    if (ch === "'") inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(open, i + 1);
  }
  throw new Error(`Unbalanced braces from offset ${open}`);
}

function resources(text: string): BicepResource[] {
  const found: BicepResource[] = [];
  const header = /^resource\s+(\w+)\s+'([^'@]+)@([^']+)'\s*=\s*(?:if\s*\([^)]*\)\s*)?\{/gm;
  for (const m of text.matchAll(header)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    found.push({ symbol: m[1]!, type: m[2]!, apiVersion: m[3]!, body: block(text, open) });
  }
  return found;
}

function only(type: string): BicepResource {
  const matches = resources(code).filter((r) => r.type === type);
  expect(matches, `exactly one ${type}`).toHaveLength(1);
  return matches[0]!;
}

const params = new Map(
  [...code.matchAll(/^param\s+(\w+)\s+(\w+)(\s*=\s*.+)?$/gm)].map((m) => [m[1]!, { type: m[2]!, hasDefault: m[3] !== undefined }]),
);
const outputs = new Set([...code.matchAll(/^output\s+(\w+)\s+\w+\s*=/gm)].map((m) => m[1]!));

describe('infra/azure.bicep', () => {
  it('has balanced braces and brackets outside strings', () => {
    const stripped = code.replace(/'(?:[^'\\]|\\.)*'/g, "''");
    for (const [open, close] of [['{', '}'], ['[', ']'], ['(', ')']] as const) {
      expect(stripped.split(open).length, `${open}${close}`).toBe(stripped.split(close).length);
    }
  });

  it('runs the server on Linux App Service with a current Node LTS, HTTPS only, TLS 1.2+, no FTP', () => {
    const plan = only('Microsoft.Web/serverfarms');
    expect(plan.body).toMatch(/reserved:\s*true/);
    const site = only('Microsoft.Web/sites');
    expect(site.body).toMatch(/kind:\s*'app,linux'/);
    expect(site.body).toMatch(/httpsOnly:\s*true/);
    expect(site.body).toMatch(/minTlsVersion:\s*'1\.2'/);
    expect(site.body).toMatch(/ftpsState:\s*'Disabled'/);
    expect(site.body).toMatch(/linuxFxVersion:\s*linuxFxVersion/);
    const runtime = /param linuxFxVersion string = '([^']+)'/.exec(code)?.[1];
    expect(runtime).toMatch(/^NODE\|(22|24)-lts$/);
    expect(code).not.toMatch(/NODE\|(18|20)/);
  });

  it('gives the site a user-assigned managed identity and no system-assigned one', () => {
    const identity = only('Microsoft.ManagedIdentity/userAssignedIdentities');
    const site = only('Microsoft.Web/sites');
    expect(site.body).toMatch(/type:\s*'UserAssigned'/);
    expect(site.body).toContain(`'\${${identity.symbol}.id}': {}`);
  });

  it('registers the Azure Bot with the managed identity (UserAssignedMSI, never MultiTenant) and the Teams channel', () => {
    const identity = only('Microsoft.ManagedIdentity/userAssignedIdentities');
    const bot = only('Microsoft.BotService/botServices');
    expect(bot.body).toMatch(/location:\s*'global'/);
    expect(bot.body).toMatch(/kind:\s*'azurebot'/);
    expect(bot.body).toMatch(/msaAppType:\s*'(UserAssignedMSI|SingleTenant)'/);
    expect(code).not.toMatch(/MultiTenant/);
    expect(bot.body).toContain(`msaAppId: ${identity.symbol}.properties.clientId`);
    expect(bot.body).toContain(`msaAppMSIResourceId: ${identity.symbol}.id`);
    expect(bot.body).toMatch(/endpoint:\s*'https:\/\/\$\{\w+\}\/api\/messages'/);
    const channel = only('Microsoft.BotService/botServices/channels');
    expect(channel.body).toContain(`parent: ${bot.symbol}`);
    expect(channel.body).toMatch(/name:\s*'MsTeamsChannel'/);
    expect(channel.body).toMatch(/channelName:\s*'MsTeamsChannel'/);
    expect(channel.body).toMatch(/isEnabled:\s*true/);
  });

  it('has workspace-based Application Insights', () => {
    const workspace = only('Microsoft.OperationalInsights/workspaces');
    const insights = only('Microsoft.Insights/components');
    expect(insights.body).toContain(`WorkspaceResourceId: ${workspace.symbol}.id`);
  });

  it('sets every app setting the production server needs', () => {
    const settings = only('Microsoft.Web/sites/config');
    expect(settings.body).toMatch(/name:\s*'appsettings'/);
    const identity = only('Microsoft.ManagedIdentity/userAssignedIdentities');
    const insights = only('Microsoft.Insights/components');
    const expected: Record<string, RegExp> = {
      NODE_ENV: /'production'/,
      BOT_ID: new RegExp(`${identity.symbol}\\.properties\\.clientId`),
      BOT_TENANT_ID: /\w+/,
      BOT_TYPE: /'UserAssignedMSI'/,
      STORE: /'sharepoint'/,
      SHAREPOINT_SITE_ID: /sharePointSiteId/,
      TAB_CLIENT_ID: /tabClientId/,
      ENTRA_TENANT_ID: /\w+/,
      AZURE_CLIENT_ID: new RegExp(`${identity.symbol}\\.properties\\.clientId`),
      APPLICATIONINSIGHTS_CONNECTION_STRING: new RegExp(`${insights.symbol}\\.properties\\.ConnectionString`),
    };
    for (const [name, value] of Object.entries(expected)) {
      const line = new RegExp(`^\\s*${name}:\\s*(.+)$`, 'm').exec(settings.body);
      expect(line, `app setting ${name}`).not.toBeNull();
      expect(line![1], `app setting ${name}`).toMatch(value);
    }
    expect(settings.body).not.toMatch(/BOT_PASSWORD|SECRET/);
  });

  it('outputs what the manifest and the deploy step read back from env/.env.dev', () => {
    for (const name of ['AZURE_APP_SERVICE_RESOURCE_ID', 'TAB_DOMAIN', 'TAB_ENDPOINT', 'BOT_ID', 'BOT_TENANT_ID']) {
      expect(outputs, name).toContain(name);
    }
    const dev = Object.keys(parseEnvFile(readFileSync(join(PROJECT_ROOT, 'env', '.env.dev'), 'utf8')));
    for (const output of outputs) expect(dev, `env/.env.dev lists ${output}`).toContain(output);
  });

  it('is fed by azure.parameters.json: every parameter declared, every required one given', () => {
    const file = JSON.parse(readFileSync(join(PROJECT_ROOT, 'infra', 'azure.parameters.json'), 'utf8')) as {
      parameters: Record<string, { value: unknown }>;
    };
    for (const name of Object.keys(file.parameters)) expect([...params.keys()], `param ${name}`).toContain(name);
    for (const [name, p] of params) if (!p.hasDefault) expect(Object.keys(file.parameters), `value for ${name}`).toContain(name);
    const dev = Object.keys(parseEnvFile(readFileSync(join(PROJECT_ROOT, 'env', '.env.dev'), 'utf8')));
    expect(placeholdersIn(file).filter((p) => !dev.includes(p))).toEqual([]);
    expect(String(file.parameters['linuxFxVersion']?.value)).toMatch(/^NODE\|(22|24)-lts$/);
  });
});

describe('Agents Toolkit project files', () => {
  const read = (name: string): string => readFileSync(join(PROJECT_ROOT, name), 'utf8');
  const actions = (yml: string, lifecycle: string): string[] => {
    const section = new RegExp(`^${lifecycle}:\\n([\\s\\S]*?)(?=^\\w|(?![\\s\\S]))`, 'm').exec(yml)?.[1] ?? '';
    return [...section.matchAll(/^\s*- uses:\s*(\S+)/gm)].map((m) => m[1]!);
  };

  it.each(['m365agents.yml', 'm365agents.local.yml', 'm365agents.playground.yml'])('%s declares the v1.11 schema', (file) => {
    const yml = read(file);
    expect(yml).toMatch(/^# yaml-language-server: \$schema=https:\/\/aka\.ms\/m365-agents-toolkits\/v1\.11\/yaml\.schema\.json$/m);
    expect(yml).toMatch(/^version: v1\.11$/m);
    expect(yml).not.toMatch(/\t/);
  });

  it('provisions in an order where each step has what it needs', () => {
    const steps = actions(read('m365agents.yml'), 'provision');
    expect(steps).toEqual([
      'teamsApp/create',
      'aadApp/create',
      'arm/deploy',
      'aadApp/update', // needs TAB_DOMAIN from arm/deploy
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
    expect(actions(read('m365agents.yml'), 'deploy')).toEqual(['cli/runNpmCommand', 'cli/runNpmCommand', 'azureAppService/zipDeploy']);
  });

  it('points the Toolkit at files that exist', () => {
    for (const file of ['m365agents.yml', 'm365agents.local.yml']) {
      for (const m of read(file).matchAll(/(?:path|manifestPath|parameters|ignoreFile):\s*(\.\/\S+)/g)) {
        expect(() => readFileSync(join(PROJECT_ROOT, m[1]!)), `${file} → ${m[1]}`).not.toThrow();
      }
    }
  });

  it('gives the mock tenant exactly what the Playground 0.2.28 config schema allows', () => {
    const yml = read('.m365agentsplayground.yml');
    expect(yml).toMatch(/^version: "0\.1\.1"$/m);
    const users = [...yml.matchAll(/^ {2}- id: (29:\S+)$/gm)].map((m) => m[1]);
    expect(users).toHaveLength(5); // the schema's minItems and maxItems
    const objectIds = [...yml.matchAll(/aadObjectId: (\S+)/g)].map((m) => m[1]!);
    expect(objectIds).toHaveLength(6);
    for (const id of objectIds) expect(id).toMatch(/^00000000-0000-4000-8000-0000000000(0[1-9]|1[0-3])$/);
    expect(new Set(objectIds).size).toBe(6);
    for (const m of yml.matchAll(/email: (\S+)/g)) expect(m[1]).toMatch(/^[a-z]+@saferplymouth\.example$/);
    expect(yml).toMatch(/^ {2}name: Safer Plymouth Exec$/m);
  });
});
