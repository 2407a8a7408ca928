import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../bot/config.js';
import { createGraphSiteClient, GraphRequestError } from '../../bot/store/sharepoint/graph-client.js';
import { createTokenProvider, graphScopeFor } from '../../bot/store/sharepoint/credentials.js';
import { provisionedStandIn, recordingRetry } from '../support/sharepoint-stand-in-store.js';
import type { GraphStandIn } from '../stand-ins/graph-sharepoint.js';

/**
 * GRAPH_BASE_URL decides where the token goes and which token it is: any https host receives it
 * (the Graph client would strip it from hosts it does not know), the scope follows the cloud, and
 * a host whose certificate does not check out is reported by host and TLS error code.
 */
describe('the Graph host and cloud come from GRAPH_BASE_URL', () => {
  it('asks each national cloud for its own Graph scope, and any other host for its origin', () => {
    expect(graphScopeFor('https://graph.microsoft.com/v1.0')).toBe('https://graph.microsoft.com/.default');
    expect(graphScopeFor('https://graph.microsoft.us/v1.0')).toBe('https://graph.microsoft.us/.default');
    expect(graphScopeFor('https://dod-graph.microsoft.us/v1.0')).toBe('https://dod-graph.microsoft.us/.default');
    expect(graphScopeFor('https://microsoftgraph.chinacloudapi.cn/v1.0')).toBe('https://microsoftgraph.chinacloudapi.cn/.default');
    expect(graphScopeFor('https://graph-proxy.example.org:8443/v1.0')).toBe('https://graph-proxy.example.org:8443/.default');
  });

  it('accepts GRAPH_BASE_URL on any https host and refuses plain http or a missing version, saying why', () => {
    expect(parseConfig({ GRAPH_BASE_URL: 'https://graph-proxy.example.org/v1.0' }).GRAPH_BASE_URL).toBe('https://graph-proxy.example.org/v1.0');
    const problems = (env: Record<string, string>) => {
      try {
        parseConfig(env);
        return '';
      } catch (error) {
        return error instanceof ConfigError ? error.problems.join('\n') : String(error);
      }
    };
    expect(problems({ GRAPH_BASE_URL: 'http://graph.microsoft.com/v1.0' })).toMatch(/GRAPH_BASE_URL must be an https:\/\/ address/);
    expect(problems({ GRAPH_BASE_URL: 'https://graph.microsoft.com' })).toMatch(/GRAPH_BASE_URL must include the API version/);
  });

  describe('against the stand-in on 127.0.0.1', () => {
    let standIn: GraphStandIn;
    beforeAll(async () => {
      standIn = await provisionedStandIn();
    });
    afterAll(async () => {
      await standIn?.close();
    });

    it('sends the token to the GRAPH_BASE_URL host without it being listed as a custom host', async () => {
      const graph = createGraphSiteClient({
        baseUrl: standIn.baseUrl,
        siteId: standIn.siteId,
        getToken: createTokenProvider({ kind: 'static', token: standIn.token }),
        retry: recordingRetry(),
        fetch: standIn.fetch,
      });
      const before = standIn.requests.length;
      const answer = await graph.send({ method: 'GET', path: graph.sitePath('lists'), idempotent: true });
      expect(answer.status).toBe(200);
      expect(standIn.requests.slice(before).map((r) => r.status)).toEqual([200]);
    });

    it('reports a certificate it cannot trust by host and TLS error code, without the token, and without retrying', async () => {
      const retry = recordingRetry();
      const graph = createGraphSiteClient({
        baseUrl: standIn.baseUrl,
        siteId: standIn.siteId,
        getToken: createTokenProvider({ kind: 'static', token: standIn.token }),
        retry,
        // Node's own fetch: the stand-in's self-signed certificate is not trusted.
        fetch: (input, init) => fetch(input, init),
      });
      const failure = await graph.send({ method: 'GET', path: graph.sitePath('lists'), idempotent: true }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(GraphRequestError);
      const { code, message } = failure as GraphRequestError;
      expect(code).toBe('tlsFailure');
      expect(message).toContain(new URL(standIn.baseUrl).host);
      expect(message).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
      expect(message).not.toContain(standIn.token);
      expect(message).not.toContain(standIn.siteId);
      expect(retry.waits).toEqual([]);
    });
  });
});
