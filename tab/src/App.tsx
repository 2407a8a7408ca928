import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  FluentProvider,
  Select,
  Spinner,
  Tab,
  TabList,
  Text,
  makeStyles,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  tokens,
} from '@fluentui/react-components';
import { api, type DemoMember, type Directory, type Identity, type Me, type Meeting } from './api';
import type { Host, ThemeName } from './teams';
import { ActionLog } from './ActionLog';
import { MattersArisingView } from './MattersArising';
import { GovernanceView } from './Governance';
import { ErrorBar } from './ui';

const THEMES = { light: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };
const DEV_USER_KEY = 'safer-exec.dev-user';
export const VIEWS = ['actions', 'matters', 'governance'] as const;
export type View = (typeof VIEWS)[number];

const useStyles = makeStyles({
  provider: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2 },
  main: { maxWidth: '1400px', margin: '0 auto', padding: '12px 16px', '@media (max-width: 700px)': { padding: '8px' } },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: '8px' },
  title: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, margin: 0 },
});

/** What every view needs: who is asking, what they may do, and the reference data. */
export interface Session {
  readonly identity: Identity;
  readonly me: Me;
  readonly directory: Directory;
  readonly meetings: readonly Meeting[];
}

export function managesLog(me: Me): boolean {
  return me.roles.chair || me.roles.secretariat;
}

function initialView(): View {
  const v = new URLSearchParams(window.location.search).get('view');
  return (VIEWS as readonly string[]).includes(v ?? '') ? (v as View) : 'actions';
}

function DemoPicker({ value, onPick }: { value: string | null; onPick: (initials: string) => void }) {
  const [members, setMembers] = useState<DemoMember[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ members: DemoMember[] }>({}, '/api/tab/dev/members').then((r) => setMembers(r.members), setError);
  }, []);
  if (error) return <ErrorBar error={error} />;
  if (!members) return <Spinner size="tiny" label="Loading demo members…" />;
  return (
    <label style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
      <Text>Act as</Text>
      <Select aria-label="Demo member" value={value ?? ''} onChange={(_, d) => d.value && onPick(d.value)}>
        <option value="">Choose a demo member</option>
        {members.map((m) => (
          <option key={m.initials} value={m.initials}>
            {m.initials} – {m.name}
          </option>
        ))}
      </Select>
    </label>
  );
}

export function App({ host }: { host: Host }) {
  const styles = useStyles();
  const [theme, setTheme] = useState<ThemeName>(host.theme);
  useEffect(() => host.onThemeChange(setTheme), [host]);
  const [devUser, setDevUser] = useState<string | null>(() => (host.inTeams ? null : sessionStorage.getItem(DEV_USER_KEY)));
  const identity = useMemo<Identity | null>(() => {
    if (host.inTeams && host.getToken) return { getToken: host.getToken };
    return devUser ? { devUser } : null;
  }, [host, devUser]);
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [view, setView] = useState<View>(initialView);

  const load = useCallback(async (who: Identity) => {
    setSession(null);
    setError(null);
    try {
      const [me, directory, meetings] = await Promise.all([
        api<Me>(who, '/api/tab/me'),
        api<Directory>(who, '/api/tab/members'),
        api<{ meetings: Meeting[] }>(who, '/api/tab/meetings'),
      ]);
      setSession({ identity: who, me, directory, meetings: meetings.meetings });
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    if (identity) void load(identity);
  }, [identity, load]);

  const pick = (initials: string) => {
    sessionStorage.setItem(DEV_USER_KEY, initials);
    setDevUser(initials);
  };

  return (
    <FluentProvider theme={THEMES[theme]} className={styles.provider} data-theme={theme}>
      <main className={styles.main}>
        <header className={styles.header}>
          <h1 className={styles.title}>Safer Plymouth Exec</h1>
          {host.inTeams ? (
            session && <Text>{session.me.member.name}</Text>
          ) : (
            <DemoPicker value={devUser} onPick={pick} />
          )}
        </header>
        {session ? (
          <Text size={200} data-testid="signed-in-as">
            Signed in as {session.me.member.initials}
            {session.me.roles.chair ? ' (chair)' : session.me.roles.secretariat ? ' (secretariat)' : ''}
            {host.inTeams ? '' : ' · local demo mode'}
          </Text>
        ) : null}
        <TabList selectedValue={view} onTabSelect={(_, d) => setView(d.value as View)} aria-label="Views" size="medium" style={{ flexWrap: 'wrap' }}>
          <Tab value="actions">Action log</Tab>
          <Tab value="matters">Matters arising</Tab>
          <Tab value="governance">Governance</Tab>
        </TabList>
        <ErrorBar error={error} />
        {!identity && !host.inTeams ? <p>Choose who you are to see the Exec&rsquo;s business.</p> : null}
        {identity && !session && !error ? <Spinner label="Loading…" /> : null}
        {session && view === 'actions' ? <ActionLog session={session} /> : null}
        {session && view === 'matters' ? <MattersArisingView session={session} /> : null}
        {session && view === 'governance' ? <GovernanceView session={session} /> : null}
      </main>
    </FluentProvider>
  );
}
