import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { FluentProvider, Link, Radio, RadioGroup, Text, teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from '@fluentui/react-components';
import { app, pages } from '@microsoft/teams-js';
import { systemThemeNow, toThemeName, themeOverride, type ThemeName } from './teams';

/** The configurable channel tab: which view this tab shows. Teams calls the save handler when the user presses Save. */
const VIEWS = [
  { value: 'actions', label: 'Action log', name: 'Action log' },
  { value: 'matters', label: 'Matters arising for the next meeting', name: 'Matters arising' },
  { value: 'governance', label: 'Governance: membership lists and attendance', name: 'Governance' },
] as const;
type ViewValue = (typeof VIEWS)[number]['value'];

const THEMES = { light: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

export function contentUrlFor(origin: string, view: ViewValue): string {
  return `${origin}/tab/index.html?view=${view}`;
}

function Config({ inTeams, initialTheme }: { inTeams: boolean; initialTheme: ThemeName }) {
  const [view, setView] = useState<ViewValue>('actions');
  useEffect(() => {
    if (!inTeams) return;
    pages.config.registerOnSaveHandler((saveEvent) => {
      const chosen = VIEWS.find((v) => v.value === view)!;
      pages.config
        .setConfig({
          entityId: `safer-exec-${view}`,
          contentUrl: contentUrlFor(window.location.origin, view),
          suggestedDisplayName: chosen.name,
        })
        .then(
          () => saveEvent.notifySuccess(),
          (error: unknown) => saveEvent.notifyFailure(error instanceof Error ? error.message : 'Could not save the tab.'),
        );
    });
    pages.config.setValidityState(true);
  }, [inTeams, view]);
  return (
    <FluentProvider theme={THEMES[initialTheme]} style={{ padding: 16, minHeight: '100vh' }}>
      <Text as="h1" size={500} weight="semibold">
        Add Safer Exec to this channel
      </Text>
      <RadioGroup value={view} onChange={(_, d) => setView(d.value as ViewValue)} aria-label="What this tab shows">
        {VIEWS.map((v) => (
          <Radio key={v.value} value={v.value} label={v.label} />
        ))}
      </RadioGroup>
      {!inTeams ? (
        <Text as="p" data-testid="config-outside-teams">
          This page is shown by Teams when the tab is added to a channel. Outside Teams, open{' '}
          <Link href={contentUrlFor(window.location.origin, view)}>{contentUrlFor(window.location.origin, view)}</Link>.
        </Text>
      ) : null}
    </FluentProvider>
  );
}

async function start(): Promise<void> {
  let inTeams = false;
  let theme: ThemeName = themeOverride(window.location.search) ?? systemThemeNow();
  if (window.parent !== window || window.opener) {
    try {
      await Promise.race([app.initialize(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 4000))]);
      inTeams = true;
      const context = await app.getContext();
      theme = themeOverride(window.location.search) ?? toThemeName(context.app.theme);
      app.notifySuccess();
    } catch {
      inTeams = false;
    }
  }
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Config inTeams={inTeams} initialTheme={theme} />
    </StrictMode>,
  );
}

void start();
