import { app, authentication } from '@microsoft/teams-js';

export type ThemeName = 'light' | 'dark' | 'contrast';

export interface Host {
  /** True inside a Teams (or Outlook, M365) host; false in a plain browser (local mode). */
  readonly inTeams: boolean;
  readonly theme: ThemeName;
  readonly getToken?: () => Promise<string>;
  onThemeChange(handler: (theme: ThemeName) => void): void;
}

export function toThemeName(teamsTheme: string | undefined | null): ThemeName {
  if (teamsTheme === 'dark') return 'dark';
  if (teamsTheme === 'contrast') return 'contrast';
  return 'light';
}

/** `?theme=dark|light|contrast` wins over the host, so tests (and a curious user) can pick one. */
export function themeOverride(search: string): ThemeName | null {
  const value = new URLSearchParams(search).get('theme');
  return value === 'dark' || value === 'light' || value === 'contrast' ? value : null;
}

const INIT_TIMEOUT_MS = 4000;

/**
 * Starts teams-js. Outside a Teams host `app.initialize()` rejects ("No Parent window
 * found"), or on some hosts never answers: either way the tab falls back to local mode.
 * A top-level window with no opener cannot be in a Teams host, so it does not even try.
 */
export async function connectToHost(): Promise<Host> {
  const override = themeOverride(window.location.search);
  const local: Host = { inTeams: false, theme: override ?? 'light', onThemeChange: () => undefined };
  if (window.parent === window && !window.opener) return local;
  try {
    await Promise.race([
      app.initialize(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('Teams did not answer')), INIT_TIMEOUT_MS)),
    ]);
  } catch {
    return local;
  }
  const context = await app.getContext();
  app.notifySuccess();
  return {
    inTeams: true,
    theme: override ?? toThemeName(context.app.theme),
    // Teams caches the token and refreshes it as needed: ask for it on every call.
    getToken: () => authentication.getAuthToken(),
    onThemeChange(handler) {
      if (!override) app.registerOnThemeChangeHandler((theme) => handler(toThemeName(theme)));
    },
  };
}
