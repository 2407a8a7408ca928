import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import {
  FluentProvider,
  Select,
  Spinner,
  Tab,
  TabList,
  Text,
  makeStyles,
  mergeClasses,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  tokens,
} from '@fluentui/react-components';
import { api, type DemoMember, type Directory, type Identity, type Me, type Meeting } from './api';
import type { Host, ThemeName } from './teams';
import { managesLog, type Session } from './session';
import { ActionLog } from './ActionLog';
import { MattersArisingView } from './MattersArising';
import { GovernanceView } from './Governance';
import { ErrorBar } from './ui';
import { LocaleContext } from './DateInput';

// Only the chair and the secretariat ever open these: nobody else downloads them.
const MeetingsView = lazy(() => import('./Meetings').then((m) => ({ default: m.MeetingsView })));
const PeopleView = lazy(() => import('./People').then((m) => ({ default: m.PeopleView })));
const ReachView = lazy(() => import('./Reach').then((m) => ({ default: m.ReachView })));

const THEMES = { light: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };
const DEV_USER_KEY = 'safer-exec.dev-user';
export const VIEWS = ['actions', 'matters', 'governance', 'meetings', 'people', 'reach'] as const;
export type View = (typeof VIEWS)[number];
/** Views that hold nothing but the chair's and secretariat's controls: nobody else is shown them. */
const MANAGER_VIEWS: readonly View[] = ['meetings', 'people', 'reach'];
const VIEW_LABELS: Record<View, string> = {
  actions: 'Action log',
  matters: 'Matters arising',
  governance: 'Governance',
  meetings: 'Meetings',
  people: 'People',
  reach: 'Messages',
};

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

/**
 * Fluent's fields show focus as a thin line along their bottom edge only; a keyboard user needs
 * more than that (WCAG 2.4.7). Every select, drop-down, input and text area gets a 2px focus
 * ring in the theme's focus colour, through Fluent's own style hooks so dialogs get it too.
 */
const useFieldFocusStyles = makeStyles({
  ring: {
    ':focus-within': { outlineWidth: '2px', outlineStyle: 'solid', outlineColor: tokens.colorStrokeFocus2, outlineOffset: '2px' },
  },
});

function useFieldFocusRing(state: unknown): void {
  const styles = useFieldFocusStyles();
  const root = (state as { root: { className?: string } }).root;
  root.className = mergeClasses(root.className, styles.ring);
}

const FIELD_FOCUS_HOOKS = {
  useSelectStyles_unstable: useFieldFocusRing,
  useDropdownStyles_unstable: useFieldFocusRing,
  useInputStyles_unstable: useFieldFocusRing,
  useTextareaStyles_unstable: useFieldFocusRing,
};

/**
 * The views as tabs, with one tab stop on the chosen one and the arrow keys (and Home, End)
 * moving between them, as the WAI-ARIA tabs pattern has it. Fluent's TabList does this through
 * a tabster "mover", which puts two focusable, aria-hidden <i data-tabster-dummy> elements around
 * the tabs: axe (aria-hidden-focus) rightly flags those. This roving tab index needs no such
 * elements, so the tab list's tabster attribute is left off.
 */
function ViewTabs({ views, selected, onSelect }: { views: readonly View[]; selected: View; onSelect: (view: View) => void }) {
  const move = (e: KeyboardEvent<HTMLDivElement>) => {
    const tabs = [...e.currentTarget.querySelectorAll<HTMLElement>('[role="tab"]')];
    const at = tabs.indexOf(document.activeElement as HTMLElement);
    if (at < 0) return;
    const last = tabs.length - 1;
    const next = e.key === 'ArrowRight' ? (at === last ? 0 : at + 1) : e.key === 'ArrowLeft' ? (at === 0 ? last : at - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? last : null;
    if (next === null) return;
    e.preventDefault();
    tabs[next]!.focus();
  };
  return (
    <TabList data-tabster={undefined} selectedValue={selected} onTabSelect={(_, d) => onSelect(d.value as View)} onKeyDown={move} aria-label="Views" size="medium" style={{ flexWrap: 'wrap' }}>
      {views.map((v) => (
        <Tab key={v} value={v} id={`view-tab-${v}`} aria-controls="view-panel" tabIndex={v === selected ? 0 : -1}>
          {VIEW_LABELS[v]}
        </Tab>
      ))}
    </TabList>
  );
}

/** The session's reference data, read together: who is asking and what the views show. */
async function fetchSessionData(who: Identity): Promise<Pick<Session, 'me' | 'directory' | 'meetings'>> {
  const [me, directory, meetings] = await Promise.all([
    api<Me>(who, '/api/tab/me'),
    api<Directory>(who, '/api/tab/members'),
    api<{ meetings: Meeting[] }>(who, '/api/tab/meetings'),
  ]);
  return { me, directory, meetings: meetings.meetings };
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
  // An empty store (SEED_DEMO=false) has nobody to act as until the board is set up.
  if (members.length === 0) return <Text data-testid="no-demo-members">No members yet: run npm run setup (see README)</Text>;
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
    <FluentProvider theme={THEMES[theme]} className={styles.provider} data-theme={theme} customStyleHooks_unstable={FIELD_FOCUS_HOOKS}>
      <LocaleContext.Provider value={host.locale}>
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
          <ViewTabs views={VIEWS.filter((v) => manager || !MANAGER_VIEWS.includes(v))} selected={shown} onSelect={setView} />
          <ErrorBar error={error} />
          <div role="tabpanel" id="view-panel" aria-labelledby={`view-tab-${shown}`}>
            {!identity && !host.inTeams ? <p>Choose who you are to see the Exec&rsquo;s business.</p> : null}
            {identity && !session && !error ? <Spinner label="Loading…" /> : null}
            {session && shown === 'actions' ? <ActionLog session={session} /> : null}
            {session && shown === 'matters' ? <MattersArisingView session={session} /> : null}
            {session && shown === 'governance' ? <GovernanceView session={session} /> : null}
            <Suspense fallback={<Spinner label="Loading…" />}>
              {session && manager && shown === 'meetings' ? <MeetingsView session={session} /> : null}
              {session && manager && shown === 'people' ? <PeopleView session={session} /> : null}
              {session && manager && shown === 'reach' ? <ReachView session={session} /> : null}
            </Suspense>
          </div>
        </main>
      </div>
      </LocaleContext.Provider>
    </FluentProvider>
  );
}
