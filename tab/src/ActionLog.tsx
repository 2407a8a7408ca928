import { useCallback, useEffect, useState } from 'react';
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
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { api, download, query, STATUS_LABELS, type ActionPage, type ActionRow, type ActionStatus } from './api';
import type { Session } from './App';
import { ActionDetailPanel } from './ActionDetail';
import { ErrorBar, RagBadge, formatDate, useNarrow } from './ui';

const useStyles = makeStyles({
  filters: { display: 'flex', flexWrap: 'wrap', gap: '8px 12px', alignItems: 'end', marginBlock: '12px' },
  field: { minWidth: '140px', flex: '1 1 140px', maxWidth: '260px', '@media (max-width: 700px)': { minWidth: 0, flex: '1 1 calc(50% - 12px)', maxWidth: 'calc(50% - 6px)' } },
  select: { width: '100%', minWidth: 0, '& select': { minWidth: 0, textOverflow: 'ellipsis' } },
  search: { minWidth: '180px', flex: '2 1 220px' },
  row: { cursor: 'pointer' },
  cards: { display: 'flex', flexDirection: 'column', gap: '8px' },
  cardTop: { display: 'flex', justifyContent: 'space-between', gap: '8px', alignItems: 'center' },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', gap: '8px', flexWrap: 'wrap', marginBlock: '8px' },
});

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

export function ActionLog({ session }: { session: Session }) {
  const styles = useStyles();
  const narrow = useNarrow();
  const [filters, setFilters] = useState<ActionFilters>(EMPTY);
  const [search, setSearch] = useState('');
  const [page, setPage] = useState<ActionPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [exportNote, setExportNote] = useState<string | null>(null);

  // Search as the person types, but not on every keystroke.
  useEffect(() => {
    const t = setTimeout(() => setFilters((f) => (f.q === search ? f : { ...f, q: search })), 250);
    return () => clearTimeout(t);
  }, [search]);

  const load = useCallback(async () => {
    setError(null);
    try {
      setPage(await api<ActionPage>(session.identity, `/api/tab/actions${query({ ...filterQuery(filters), limit: '500' })}`));
    } catch (e) {
      setError(e);
    }
  }, [session.identity, filters]);
  useEffect(() => {
    void load();
  }, [load]);

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
      {!page ? (
        <Spinner label="Loading the action log…" />
      ) : (
        <>
          <Text role="status" data-testid="action-count">
            {page.total} action{page.total === 1 ? '' : 's'}
          </Text>
          {narrow ? (
            <div className={styles.cards} aria-label="Action log">
              {page.items.map((a) => (
                <Card key={a.id} data-action-id={a.id} onClick={() => setOpenId(a.id)} role="button" aria-label={`Action ${a.minuteRef}: ${a.text}`}>
                  <div className={styles.cardTop}>
                    <Text weight="semibold">
                      {formatDate(a.meetingDate)} · minute {a.minuteRef}
                    </Text>
                    <RagBadge rag={a.rag} />
                  </div>
                  <Text>{a.text}</Text>
                  <Text size={200} className={styles.muted}>
                    {ownersOf(a)} · due {dueOf(a)} · {a.statusLabel}
                    {a.overdue ? ' (overdue)' : ''}
                  </Text>
                  {lastUpdateOf(a) ? (
                    <Text size={200} className={styles.muted}>
                      {lastUpdateOf(a)}
                    </Text>
                  ) : null}
                </Card>
              ))}
            </div>
          ) : (
            <Table aria-label="Action log" size="small">
              <TableHeader>
                <TableRow>
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
                {page.items.map((a) => (
                  <TableRow key={a.id} data-action-id={a.id} className={styles.row} onClick={() => setOpenId(a.id)}>
                    <TableCell>{formatDate(a.meetingDate)}</TableCell>
                    <TableCell>{a.minuteRef}</TableCell>
                    <TableCell>
                      <Button appearance="transparent" style={{ textAlign: 'left', fontWeight: 'normal', padding: 0, minWidth: 0 }} onClick={() => setOpenId(a.id)}>
                        {a.text}
                      </Button>
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
                ))}
              </TableBody>
            </Table>
          )}
        </>
      )}
      {openId ? <ActionDetailPanel session={session} actionId={openId} onClose={() => setOpenId(null)} onChanged={() => void load()} /> : null}
    </div>
  );
}
