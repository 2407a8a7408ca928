import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import type { TokenProvider } from './graph-client.js';

/**
 * App-only access to the one site. Least privilege: the Entra app (or managed identity) holds
 * `Sites.Selected`, and a SharePoint admin grants it `write` on this site only (`manage` while
 * `npm run provision:sharepoint` creates lists and columns, then back to `write`).
 */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/**
 * The token scope for the Graph host in GRAPH_BASE_URL: each national cloud's Graph has its own
 * resource (learn.microsoft.com/graph/deployments): US Government L4 graph.microsoft.us, L5 (DoD)
 * dod-graph.microsoft.us, China (21Vianet) microsoftgraph.chinacloudapi.cn. Any other host (a
 * proxy, a stand-in) is asked for `{origin}/.default`.
 */
export function graphScopeFor(graphBaseUrl: string): string {
  const url = new URL(graphBaseUrl);
  switch (url.hostname.toLowerCase()) {
    case 'graph.microsoft.com':
      return GRAPH_SCOPE;
    case 'graph.microsoft.us':
      return 'https://graph.microsoft.us/.default';
    case 'dod-graph.microsoft.us':
      return 'https://dod-graph.microsoft.us/.default';
    case 'microsoftgraph.chinacloudapi.cn':
      return 'https://microsoftgraph.chinacloudapi.cn/.default';
    default:
      return `${url.origin}/.default`;
  }
}

export type GraphCredentialConfig =
  | { readonly kind: 'managed-identity'; readonly clientId?: string }
  | { readonly kind: 'client-secret'; readonly tenantId: string; readonly clientId: string; readonly clientSecret: string }
  | { readonly kind: 'client-certificate'; readonly tenantId: string; readonly clientId: string; readonly certificatePath: string }
  /** Tests against the local stand-in. */
  | { readonly kind: 'static'; readonly token: string };

/** The settings credentials are read from (a subset of bot/config.ts's Config). */
export interface GraphCredentialSettings {
  readonly GRAPH_TENANT_ID?: string | undefined;
  readonly ENTRA_TENANT_ID?: string | undefined;
  readonly GRAPH_CLIENT_ID?: string | undefined;
  readonly GRAPH_CLIENT_SECRET?: string | undefined;
  readonly GRAPH_CERTIFICATE_PATH?: string | undefined;
  readonly AZURE_CLIENT_ID?: string | undefined;
}

/**
 * A certificate beats a secret; with neither, the App Service's managed identity is used (no
 * secret to rotate or leak). Throws naming the missing setting rather than failing at first use.
 */
export function credentialConfigFromSettings(settings: GraphCredentialSettings): GraphCredentialConfig {
  const tenantId = settings.GRAPH_TENANT_ID ?? settings.ENTRA_TENANT_ID;
  if (settings.GRAPH_CERTIFICATE_PATH || settings.GRAPH_CLIENT_SECRET) {
    const missing = [!tenantId && 'GRAPH_TENANT_ID', !settings.GRAPH_CLIENT_ID && 'GRAPH_CLIENT_ID'].filter(Boolean);
    if (missing.length) throw new Error(`SharePoint credentials need ${missing.join(' and ')} with a certificate or secret.`);
    return settings.GRAPH_CERTIFICATE_PATH
      ? { kind: 'client-certificate', tenantId: tenantId!, clientId: settings.GRAPH_CLIENT_ID!, certificatePath: settings.GRAPH_CERTIFICATE_PATH }
      : { kind: 'client-secret', tenantId: tenantId!, clientId: settings.GRAPH_CLIENT_ID!, clientSecret: settings.GRAPH_CLIENT_SECRET! };
  }
  return settings.AZURE_CLIENT_ID ? { kind: 'managed-identity', clientId: settings.AZURE_CLIENT_ID } : { kind: 'managed-identity' };
}

function credentialFor(config: Exclude<GraphCredentialConfig, { kind: 'static' }>): TokenCredential {
  switch (config.kind) {
    case 'managed-identity':
      return config.clientId ? new ManagedIdentityCredential({ clientId: config.clientId }) : new ManagedIdentityCredential();
    case 'client-secret':
      return new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret);
    case 'client-certificate':
      return new ClientCertificateCredential(config.tenantId, config.clientId, { certificatePath: config.certificatePath });
  }
}

/** Refresh this long before expiry, so a token never expires in flight. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A token provider for the Graph client. Keeps the current token until shortly before it
 * expires, and shares one in-flight request between concurrent callers.
 */
export function createTokenProvider(config: GraphCredentialConfig, scope: string = GRAPH_SCOPE): TokenProvider {
  if (config.kind === 'static') {
    const token = config.token;
    return async () => token;
  }
  const credential = credentialFor(config);
  let cached: { token: string; expiresOn: number } | undefined;
  let inFlight: Promise<string> | undefined;
  return async () => {
    if (cached && cached.expiresOn - REFRESH_MARGIN_MS > Date.now()) return cached.token;
    inFlight ??= credential
      .getToken(scope)
      .then((access) => {
        if (!access) throw new Error('No Graph token was issued for the configured identity.');
        cached = { token: access.token, expiresOn: access.expiresOnTimestamp };
        return access.token;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
