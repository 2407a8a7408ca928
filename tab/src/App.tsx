import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
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

// Only the chair and the secretariat ever open these: nobody else downloads them.
const MeetingsView = lazy(() => import('./Meetings').then((m) => ({ default: m.MeetingsView })));
const PeopleView = lazy(() => import('./People').then((m) => ({ default: m.PeopleView })));

const THEMES = { light: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };
const DEV_USER_KEY = 'safer-exec.dev-user';
export const VIEWS = ['actions', 'matters', 'governance', 'meetings', 'people'] as const;
export type View = (typeof VIEWS)[number];
/** Views that hold nothing but the chair's and secretariat's controls: nobody else is shown them. */
const MANAGER_VIEWS: readonly View[] = ['meetings', 'people'];

const useStyles = makeStyles({
  // The provider's own class is copied onto every portal (dialogs, drop-down lists): it carries
  // colour only, so a portal never becomes a full-height layer over the page. The page's height
  // lives on the wrapper inside.
  provider: { backgroundColor: tokens.colorNeutralBackground2 },
  page: { minHeight: '100vh' },
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
  /** Reads the people, themes and meetings again after a change, keeping the view where it is. */
  readonly refresh: () => Promise<void>;
}

async function fetchSessionData(who: Identity): Promise<Pick<Session, 'me' | 'directory' | 'meetings'>> {
  const [me, directory, meetings] = await Promise.all([
    api<Me>(who, '/api/tab/me'),
    api<Directory>(who, '/api/tab/members'),
    api<{ meetings: Meeting[] }>(who, '/api/tab/meetings'),
  ]);
  return { me, directory, meetings: meetings.meetings };
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
    const refresh = async () => {
      const data = await fetchSessionData(who);
      setSession((current) => (current && current.identity === who ? { ...current, ...data } : current));
    };
    try {
      setSession({ identity: who, ...(await fetchSessionData(who)), refresh });
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    if (identity) void load(identity);
  }, [identity, load]);

  const manager = session ? managesLog(session.me) : false;
  // A link to a manager's view, opened by anyone else, shows the action log instead.
  const shown: View = MANAGER_VIEWS.includes(view) && !manager ? 'actions' : view;

  const pick = (initials: string) => {
    sessionStorage.setItem(DEV_USER_KEY, initials);
    setDevUser(initials);
  };

  return (
    <FluentProvider theme={THEMES[theme]} className={styles.provider} data-theme={theme}>
      <div className={styles.page}>
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
          <TabList selectedValue={shown} onTabSelect={(_, d) => setView(d.value as View)} aria-label="Views" size="medium" style={{ flexWrap: 'wrap' }}>
            <Tab value="actions">Action log</Tab>
            <Tab value="matters">Matters arising</Tab>
            <Tab value="governance">Governance</Tab>
            {manager ? <Tab value="meetings">Meetings</Tab> : null}
            {manager ? <Tab value="people">People</Tab> : null}
          </TabList>
          <ErrorBar error={error} />
          {!identity && !host.inTeams ? <p>Choose who you are to see the Exec&rsquo;s business.</p> : null}
          {identity && !session && !error ? <Spinner label="Loading…" /> : null}
          {session && shown === 'actions' ? <ActionLog session={session} /> : null}
          {session && shown === 'matters' ? <MattersArisingView session={session} /> : null}
          {session && shown === 'governance' ? <GovernanceView session={session} /> : null}
          <Suspense fallback={<Spinner label="Loading…" />}>
            {session && manager && shown === 'meetings' ? <MeetingsView session={session} /> : null}
            {session && manager && shown === 'people' ? <PeopleView session={session} /> : null}
          </Suspense>
        </main>
      </div>
    </FluentProvider>
  );
}
