// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** teams-js stood in for at its API: what the tab asks Teams, and the theme handler Teams calls. */
const teams = vi.hoisted(() => ({ theme: 'dark', locale: 'en-gb', handler: null as ((theme: string) => void) | null }));
vi.mock('@microsoft/teams-js', () => ({
  app: {
    initialize: async () => undefined,
    getContext: async () => ({ app: { theme: teams.theme, locale: teams.locale } }),
    notifySuccess: () => undefined,
    registerOnThemeChangeHandler: (handler: (theme: string) => void) => {
      teams.handler = handler;
    },
  },
  authentication: { getAuthToken: async () => 'token' },
}));

const { connectToHost } = await import('../../tab/src/teams.js');

describe('the tab inside Teams follows the Teams theme and locale', () => {
  beforeEach(() => {
    teams.handler = null;
    // A window opened by a host (Teams' own check for "might be in Teams").
    Object.defineProperty(window, 'opener', { value: {}, configurable: true });
    window.history.replaceState(null, '', '/tab/');
  });

  it('starts in the theme Teams reports, with Teams\u2019 locale', async () => {
    teams.theme = 'contrast';
    const host = await connectToHost();
    expect(host).toMatchObject({ inTeams: true, theme: 'contrast', locale: 'en-gb' });
  });

  it('changes theme when Teams does, and stops when the tab stops listening', async () => {
    teams.theme = 'default';
    const host = await connectToHost();
    expect(host.theme).toBe('light');
    const seen: string[] = [];
    const stop = host.onThemeChange((t) => seen.push(t));
    teams.handler!('dark');
    teams.handler!('contrast');
    stop();
    teams.handler!('default');
    expect(seen).toEqual(['dark', 'contrast']);
  });

  it('lets ?theme= win over Teams, and then does not follow it', async () => {
    window.history.replaceState(null, '', '/tab/?theme=light');
    teams.theme = 'dark';
    const host = await connectToHost();
    expect(host.theme).toBe('light');
    expect(teams.handler).toBeNull();
  });
});
