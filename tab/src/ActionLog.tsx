import { memo, useCallback, useEffect, useRef, useState } from 'react';
import {
  Button,
  Card,
  Checkbox,
  Field,
  Input,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  createFocusOutlineStyle,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { api, download, query, STATUS_LABELS, type ActionPage, type ActionRow, type ActionStatus, type Identity } from './api';
import type { Session } from './session';
import { ActionDetailPanel } from './ActionDetail';
import { ErrorBar, RagBadge, formatDate, useNarrow } from './ui';

const useStyles = makeStyles({
  filters: { display: 'flex', flexWrap: 'wrap', gap: '8px 12px', alignItems: 'end', marginBlock: '12px' },
  field: { minWidth: '140px', flex: '1 1 140px', maxWidth: '260px', '@media (max-width: 700px)': { minWidth: 0, flex: '1 1 calc(50% - 12px)', maxWidth: 'calc(50% - 6px)' } },
  select: { width: '100%', minWidth: 0, '& select': { minWidth: 0, textOverflow: 'ellipsis' } },
  search: { minWidth: '180px', flex: '2 1 220px' },
  row: { cursor: 'pointer' },
  // A plain button with Fluent's look, not Fluent's Button: a page of rows renders one per row of
  // these, and Fluent's Button (its hooks, slots and tabster wiring) was most of a filter's time.
  rowButton: {
    border: 'none',
    background: 'none',
    color: 'inherit',
    font: 'inherit',
    textAlign: 'left',
    padding: '2px 0',
    cursor: 'pointer',
    borderRadius: tokens.borderRadiusMedium,
    ':hover': { textDecorationLine: 'underline' },
    ...createFocusOutlineStyle(),
  },
  cards: { display: 'flex', flexDirection: 'column', gap: '8px' },
  cardTop: { display: 'flex', justifyContent: 'space-between', gap: '8px', alignItems: 'center' },
  cardBody: { display: 'flex', flexDirection: 'column', gap: '6px', cursor: 'pointer' },
  cardButton: { justifyContent: 'flex-start', textAlign: 'left', fontWeight: tokens.fontWeightRegular, padding: 0, minWidth: 0, height: 'auto' },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', gap: '8px', flexWrap: 'wrap', marginBlock: '8px' },
  more: { display: 'flex', gap: '12px', alignItems: 'center', marginBlock: '12px' },
});

/**
 * Rows per request: two screenfuls. A filter or search shows its rows in well under 50 ms over
 * 2,000 actions (npm run bench -- --only=tab-filter; a page of 100 took about 60 ms, most of it
 * laying out rows below the screen); the next page is fetched before the chair scrolls to the end
 * of this one, or on "Show more" (keyboard and screen readers).
 */
export const ACTION_PAGE_SIZE = 50;
/** The most rows the server returns in one request (bot/http/schemas.ts). */
const SERVER_MAX_PAGE = 500;
/** Start fetching the next page while the end of the list is still this far below the screen. */
const PREFETCH_MARGIN = '0px 0px 800px 0px';

export interface ActionFilters {
  owner: string;
  theme: string;
  meeting: string;
  status: string;
  overdue: boolean;
  q: string;
  sort: string;
  order: 'asc' | 'desc';
}

const EMPTY: ActionFilters = { owner: '', theme: '', meeting: '', status: '', overdue: false, q: '', sort: 'meeting', order: 'asc' };

export function filterQuery(f: ActionFilters): Record<string, string | undefined> {
  return {
    owner: f.owner || undefined,
    theme: f.theme || undefined,
    meeting: f.meeting || undefined,
    status: f.status || undefined,
    overdue: f.overdue ? 'true' : undefined,
    q: f.q.trim() || undefined,
    sort: f.sort,
    order: f.order,
  };
}

/** The rows shown so far for one filter, and how many the filter matches in all. */
interface LoadedLog {
  /** Which load this list came from: a page fetched for an older list is never appended to a newer one. */
  readonly generation: number;
  readonly filters: ActionFilters;
  readonly items: readonly ActionRow[];
  readonly total: number;
  /** Where the server's next page starts; null once the last page is in. */
  readonly nextOffset: number | null;
}

/**
 * `count` rows of the filtered, sorted log from `offset`, in as many requests as the server's
 * page limit needs. Filters, search and sort are applied by the server to the whole log, so
 * every page continues the same complete result.
 */
async function fetchRows(identity: Identity, filters: ActionFilters, offset: number, count: number): Promise<{ items: ActionRow[]; total: number; nextOffset: number | null }> {
  const items: ActionRow[] = [];
  let total = 0;
  let next: number | null = offset;
  while (next !== null && items.length < count) {
    const limit = Math.min(count - items.length, SERVER_MAX_PAGE);
    const page: ActionPage = await api<ActionPage>(identity, `/api/tab/actions${query({ ...filterQuery(filters), limit: String(limit), offset: String(next) })}`);
    items.push(...page.items);
    total = page.total;
    next = page.nextOffset;
  }
  return { items, total, nextOffset: next };
}

/** Focuses an action in the list: the row's button on a wide screen, the card on a narrow one. */
function focusAction(id: string): void {
  const row = document.querySelector<HTMLElement>(`[data-action-id="${CSS.escape(id)}"]`);
  const target = row?.matches('[tabindex]') ? row : row?.querySelector<HTMLElement>('button, [tabindex]');
  target?.focus();
}

export function countText(shown: number, total: number): string {
  const all = `${total} action${total === 1 ? '' : 's'}`;
  return shown < total ? `${all}, showing ${shown}` : all;
}

function ownersOf(a: ActionRow): string {
  return a.owners.map((o) => o.label).join(', ') || 'Unassigned';
}

function dueOf(a: ActionRow): string {
  return a.dueDate ? formatDate(a.dueDate) : 'Next meeting';
}

function lastUpdateOf(a: ActionRow): string {
  if (!a.lastUpdate || a.lastUpdate.kind === 'created') return '';
  return `${formatDate(a.lastUpdate.at)}${a.lastUpdate.byLabel ? ` ${a.lastUpdate.byLabel}` : ''}${a.lastUpdate.note ? `: ${a.lastUpdate.note}` : ''}`;
}

/** One table row; memoised so appending a page renders only the new rows. */
const ActionTableRow = memo(function ActionTableRow({ action: a, rowIndex, onOpen }: { action: ActionRow; rowIndex: number; onOpen: (id: string) => void }) {
  const styles = useStyles();
  return (
    <TableRow data-action-id={a.id} aria-rowindex={rowIndex} className={styles.row} onClick={() => onOpen(a.id)}>
      <TableCell>{formatDate(a.meetingDate)}</TableCell>
      <TableCell>{a.minuteRef}</TableCell>
      <TableCell>
        {/* The row's own text colour, also when the row is hovered: Fluent's hovered row turns its text dark on a bright background in high contrast, and a button keeping its own white would vanish (axe). */}
        <button type="button" className={styles.rowButton} onClick={() => onOpen(a.id)}>
          {a.text}
        </button>
      </TableCell>
      <TableCell>{ownersOf(a)}</TableCell>
      <TableCell>{dueOf(a)}</TableCell>
      <TableCell>
        {a.statusLabel}
        {a.overdue ? ' (overdue)' : ''}
      </TableCell>
      <TableCell>
        <RagBadge rag={a.rag} />
      </TableCell>
      <TableCell>{lastUpdateOf(a)}</TableCell>
    </TableRow>
  );
});

/**
 * One card on a narrow screen; memoised like the rows. The action's text is the button that
 * opens it (one tab stop, Enter or Space); a tap anywhere on the card opens it too.
 */
const ActionCard = memo(function ActionCard({ action: a, onOpen }: { action: ActionRow; onOpen: (id: string) => void }) {
  const styles = useStyles();
  return (
    <Card data-action-id={a.id}>
      <div className={styles.cardBody} onClick={() => onOpen(a.id)}>
        <div className={styles.cardTop}>
          <Text weight="semibold">
            {formatDate(a.meetingDate)} · minute {a.minuteRef}
          </Text>
          <RagBadge rag={a.rag} />
        </div>
        <Button appearance="subtle" className={styles.cardButton} onClick={() => onOpen(a.id)}>
          {a.text}
        </Button>
        <Text size={200} className={styles.muted}>
          {ownersOf(a)} · due {dueOf(a)} · {a.statusLabel}
          {a.overdue ? ' (overdue)' : ''}
        </Text>
        {lastUpdateOf(a) ? (
          <Text size={200} className={styles.muted}>
            {lastUpdateOf(a)}
          </Text>
        ) : null}
      </div>
    </Card>
  );
});

export function ActionLog({ session }: { session: Session }) {
  const styles = useStyles();
  const narrow = useNarrow();
  const [filters, setFilters] = useState<ActionFilters>(EMPTY);
  const [search, setSearch] = useState('');
  const [log, setLog] = useState<LoadedLog | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreFocused, setMoreFocused] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [exportNote, setExportNote] = useState<string | null>(null);
  // Bumped whenever the list is replaced, so an answer to an older request is dropped rather
  // than shown under the wrong filter (typing in search sends several in a row).
  const generation = useRef(0);
  const moreInFlight = useRef(false);
  // After "Show more", focus moves to the first new row so keyboard and screen-reader users carry on from there.
  const focusRowId = useRef<string | null>(null);
  const listEnd = useRef<HTMLDivElement | null>(null);
  const moreButton = useRef<HTMLButtonElement | null>(null);

  // Search as the person types, but not on every keystroke.
  useEffect(() => {
    const t = setTimeout(() => setFilters((f) => (f.q === search ? f : { ...f, q: search })), 250);
    return () => clearTimeout(t);
  }, [search]);

  /** Replaces the list with its first `count` rows under the current filters. */
  const load = useCallback(
    async (count: number) => {
      const mine = ++generation.current;
      moreInFlight.current = false;
      setLoadingMore(false);
      // A button removed while focused gets no blur: do not let it hold back loading on scroll.
      setMoreFocused(false);
      setError(null);
      try {
        const rows = await fetchRows(session.identity, filters, 0, count);
        if (mine === generation.current) setLog({ generation: mine, filters, ...rows });
      } catch (e) {
        if (mine === generation.current) setError(e);
      }
    },
    [session.identity, filters],
  );
  useEffect(() => {
    void load(ACTION_PAGE_SIZE);
  }, [load]);

  const shown = log?.items.length ?? 0;
  const hasMore = log !== null && log.nextOffset !== null;

  /** Appends the next page of the same filtered log. */
  const loadMore = useCallback(
    async (asked: boolean) => {
      const from = log?.nextOffset;
      // While a new filter's first page is on its way, the list on screen is not extended.
      if (!log || from === null || from === undefined || moreInFlight.current || log.generation !== generation.current) return;
      const mine = log.generation;
      moreInFlight.current = true;
      setLoadingMore(true);
      if (asked) setError(null);
      try {
        const rows = await fetchRows(session.identity, log.filters, from, ACTION_PAGE_SIZE);
        if (mine !== generation.current) return;
        // Someone may have changed the log between pages: never show an action twice.
        const seen = new Set(log.items.map((a) => a.id));
        const added = rows.items.filter((a) => !seen.has(a.id));
        // Also when the button had focus and is about to go (the last page came in as they scrolled).
        if ((asked || document.activeElement === moreButton.current) && added[0]) focusRowId.current = added[0].id;
        setLog({ ...log, items: [...log.items, ...added], total: rows.total, nextOffset: rows.nextOffset });
      } catch (e) {
        if (mine === generation.current) setError(e);
      } finally {
        if (mine === generation.current) {
          moreInFlight.current = false;
          setLoadingMore(false);
        }
      }
    },
    [log, session.identity],
  );

  useEffect(() => {
    const id = focusRowId.current;
    if (!id) return;
    focusRowId.current = null;
    focusAction(id);
  }, [log]);

  // Closing the panel puts focus back on the action it was opened from, not on the page: the
  // drawer's own restore has nothing to return to when it was opened by a row's click. After
  // the drawer has gone, and again on the next frame, in case its exit moved focus meanwhile.
  const returnTo = useRef<string | null>(null);
  useEffect(() => {
    const id = returnTo.current;
    if (openId || !id) return;
    returnTo.current = null;
    focusAction(id);
    const frame = requestAnimationFrame(() => {
      if (!document.activeElement || document.activeElement === document.body) focusAction(id);
    });
    return () => cancelAnimationFrame(frame);
  }, [openId]);
  const open = useCallback((id: string) => {
    returnTo.current = id;
    setOpenId(id);
  }, []);

  // Fetch the next page as the end of the list nears the screen. Observing afresh after each
  // page also catches a list still too short to fill the screen. Not while "Show more" has
  // the focus: someone who tabbed to it means to press it, and a page arriving by itself
  // would move things under them. Not after a failure either: the error bar shows, and
  // "Show more" tries again when asked.
  useEffect(() => {
    const end = listEnd.current;
    if (!end || !hasMore || loadingMore || moreFocused || error || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && document.activeElement !== moreButton.current) void loadMore(false);
      },
      { rootMargin: PREFETCH_MARGIN },
    );
    observer.observe(end);
    return () => observer.disconnect();
  }, [hasMore, loadingMore, moreFocused, error, loadMore]);

  const set = <K extends keyof ActionFilters>(key: K, value: ActionFilters[K]) => setFilters((f) => ({ ...f, [key]: value }));
  const exportAs = async (format: 'docx' | 'csv') => {
    setExportNote(null);
    try {
      const name = await download(session.identity, `/api/tab/exports/actions.${format}${query(filterQuery(filters))}`);
      setExportNote(`Downloaded ${name}`);
    } catch (e) {
      setError(e);
    }
  };
  const execMeetings = session.meetings.filter((m) => m.groupId === 'grp-exec');
  const themes = session.directory.themes.filter((t) => t.activeUntil === null);

  return (
    <div>
      <div className={styles.filters} role="search" aria-label="Filter the action log">
        <Field label="Search" className={styles.search}>
          <Input value={search} onChange={(_, d) => setSearch(d.value)} placeholder="Text, minute, owner, update" aria-label="Search actions" />
        </Field>
        <Field label="Owner" className={styles.field}>
          <Select className={styles.select} aria-label="Owner" value={filters.owner} onChange={(_, d) => set('owner', d.value)}>
            <option value="">Anyone</option>
            {session.directory.members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.initials} – {m.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Theme" className={styles.field}>
          <Select className={styles.select} aria-label="Theme" value={filters.theme} onChange={(_, d) => set('theme', d.value)}>
            <option value="">Any theme</option>
            {themes.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Meeting" className={styles.field}>
          <Select className={styles.select} aria-label="Meeting" value={filters.meeting} onChange={(_, d) => set('meeting', d.value)}>
            <option value="">Any meeting</option>
            {execMeetings.map((m) => (
              <option key={m.id} value={m.id}>
                {formatDate(m.date)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Status" className={styles.field}>
          <Select className={styles.select} aria-label="Status" value={filters.status} onChange={(_, d) => set('status', d.value)}>
            <option value="">Any status</option>
            <option value="open,in-progress,proposed-complete">Still open</option>
            {(Object.keys(STATUS_LABELS) as ActionStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Sort by" className={styles.field}>
          <Select className={styles.select} aria-label="Sort by" value={filters.sort} onChange={(_, d) => set('sort', d.value)}>
            <option value="meeting">Meeting and minute</option>
            <option value="due">Due date</option>
            <option value="rag">RAG</option>
            <option value="status">Status</option>
            <option value="owner">Owner</option>
          </Select>
        </Field>
        <Checkbox label="Descending" checked={filters.order === 'desc'} onChange={(_, d) => set('order', d.checked ? 'desc' : 'asc')} />
        <Checkbox label="Overdue only" checked={filters.overdue} onChange={(_, d) => set('overdue', d.checked === true)} />
      </div>
      <div className={styles.actions}>
        <Button onClick={() => void exportAs('docx')}>Export to Word</Button>
        <Button onClick={() => void exportAs('csv')}>Export to CSV</Button>
        {exportNote ? <Text role="status">{exportNote}</Text> : null}
      </div>
      <ErrorBar error={error} />
      {!log ? (
        <Spinner label="Loading the action log…" />
      ) : (
        <>
          <Text role="status" aria-live="polite" data-testid="action-count">
            {countText(shown, log.total)}
          </Text>
          {narrow ? (
            <div className={styles.cards} aria-label="Action log">
              {log.items.map((a) => (
                <ActionCard key={a.id} action={a} onOpen={open} />
              ))}
            </div>
          ) : (
            <Table aria-label="Action log" aria-rowcount={log.total + 1} size="small">
              <TableHeader>
                <TableRow aria-rowindex={1}>
                  <TableHeaderCell style={{ width: 100 }}>Meeting</TableHeaderCell>
                  <TableHeaderCell style={{ width: 60 }}>Minute</TableHeaderCell>
                  <TableHeaderCell>Action</TableHeaderCell>
                  <TableHeaderCell style={{ width: 110 }}>Owners</TableHeaderCell>
                  <TableHeaderCell style={{ width: 100 }}>Due</TableHeaderCell>
                  <TableHeaderCell style={{ width: 130 }}>Status</TableHeaderCell>
                  <TableHeaderCell style={{ width: 80 }}>RAG</TableHeaderCell>
                  <TableHeaderCell>Last update</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {log.items.map((a, i) => (
                  // Row 1 is the header: a screen reader says "row 502 of 2019" even before the rest is loaded.
                  // Keyed by position: a new filter's rows take over the rows already on screen (their
                  // text changes) instead of 100 rows unmounted and 100 mounted, which cut a filter's
                  // time over 2,000 actions by a third to a half. Rows hold no state; focus finds its row by data-action-id.
                  <ActionTableRow key={i} action={a} rowIndex={i + 2} onOpen={open} />
                ))}
              </TableBody>
            </Table>
          )}
          <div ref={listEnd} className={styles.more}>
            {hasMore ? (
              <Button
                ref={moreButton}
                onClick={() => void loadMore(true)}
                onFocus={() => setMoreFocused(true)}
                onBlur={() => setMoreFocused(false)}
                disabledFocusable={loadingMore}
                data-testid="show-more"
              >
                {loadingMore ? 'Loading more…' : `Show more (${Math.max(log.total - shown, 0)} left)`}
              </Button>
            ) : null}
            {loadingMore ? <Spinner size="tiny" aria-hidden /> : null}
          </div>
        </>
      )}
      {openId ? <ActionDetailPanel session={session} actionId={openId} onClose={() => setOpenId(null)} onChanged={() => void load(Math.max(shown, ACTION_PAGE_SIZE))} /> : null}
    </div>
  );
}
