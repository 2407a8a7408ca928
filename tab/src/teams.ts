import { app, authentication } from '@microsoft/teams-js';

export type ThemeName = 'light' | 'dark' | 'contrast';

export interface Host {
  /** True inside a Teams (or Outlook, M365) host; false in a plain browser (local mode). */
  readonly inTeams: boolean;
  readonly theme: ThemeName;
  /** The person's locale (Teams' own setting inside Teams, the browser's outside): dates are typed and shown in its order. */
  readonly locale: string;
  readonly getToken?: () => Promise<string>;
  /** Calls the handler when the theme changes; answers a function that stops listening. */
  onThemeChange(handler: (theme: ThemeName) => void): () => void;
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

/** What the browser says the person asked their system for, outside Teams. */
export interface SystemPreferences {
  readonly forcedColors: boolean;
  readonly moreContrast: boolean;
  readonly dark: boolean;
}

/** A forced-colours or more-contrast system gets the high-contrast theme, a dark one the dark theme. */
export function systemTheme(prefs: SystemPreferences): ThemeName {
  if (prefs.forcedColors || prefs.moreContrast) return 'contrast';
  return prefs.dark ? 'dark' : 'light';
}

const SYSTEM_QUERIES = { forcedColors: '(forced-colors: active)', moreContrast: '(prefers-contrast: more)', dark: '(prefers-color-scheme: dark)' } as const;

function readSystemPreferences(): SystemPreferences {
  const matches = (query: string) => typeof window.matchMedia === 'function' && window.matchMedia(query).matches;
  return { forcedColors: matches(SYSTEM_QUERIES.forcedColors), moreContrast: matches(SYSTEM_QUERIES.moreContrast), dark: matches(SYSTEM_QUERIES.dark) };
}

/** The system's theme as it is now (outside Teams). */
export function systemThemeNow(): ThemeName {
  return systemTheme(readSystemPreferences());
}

/** Follows the system's colour scheme and contrast as they change (outside Teams, with no ?theme). */
function onSystemThemeChange(handler: (theme: ThemeName) => void): () => void {
  if (typeof window.matchMedia !== 'function') return () => undefined;
  const lists = Object.values(SYSTEM_QUERIES).map((q) => window.matchMedia(q));
  const update = () => handler(systemTheme(readSystemPreferences()));
  for (const list of lists) list.addEventListener('change', update);
  return () => {
    for (const list of lists) list.removeEventListener('change', update);
  };
}

const INIT_TIMEOUT_MS = 4000;

/** A host outside Teams: the theme from ?theme, else the system's; the locale from the browser. */
function localHost(override: ThemeName | null): Host {
  return {
    inTeams: false,
    theme: override ?? systemThemeNow(),
    locale: navigator.language || 'en-GB',
    onThemeChange: (handler) => (override ? () => undefined : onSystemThemeChange(handler)),
  };
}

/**
 * Starts teams-js. Outside a Teams host `app.initialize()` rejects ("No Parent window
 * found"), or on some hosts never answers: either way the tab falls back to local mode.
 * A top-level window with no opener cannot be in a Teams host, so it does not even try.
 */
export async function connectToHost(): Promise<Host> {
  const override = themeOverride(window.location.search);
  if (window.parent === window && !window.opener) return localHost(override);
  try {
    await Promise.race([
      app.initialize(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('Teams did not answer')), INIT_TIMEOUT_MS)),
    ]);
  } catch {
    return localHost(override);
  }
  const context = await app.getContext();
  app.notifySuccess();
  let listener: ((theme: ThemeName) => void) | null = null;
  // teams-js keeps one theme handler: register it once, and pass changes to whoever listens now.
  if (!override) app.registerOnThemeChangeHandler((theme) => listener?.(toThemeName(theme)));
  return {
    inTeams: true,
    theme: override ?? toThemeName(context.app.theme),
    locale: context.app.locale || navigator.language || 'en-GB',
    // Teams caches the token and refreshes it as needed: ask for it on every call.
    getToken: () => authentication.getAuthToken(),
    onThemeChange(handler) {
      listener = handler;
      return () => {
        if (listener === handler) listener = null;
      };
    },
  };
}
