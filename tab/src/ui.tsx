import { useEffect, useState, type ReactNode } from 'react';
import { Badge, Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ApiError, britishLongDate, type Rag } from './api';

/** Phone-sized screens get cards instead of wide tables. */
export function useNarrow(maxWidth = 700): boolean {
  const query = `(max-width: ${maxWidth}px)`;
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const update = () => setNarrow(list.matches);
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, [query]);
  return narrow;
}

export function RagBadge({ rag }: { rag: Rag | null }) {
  if (!rag) return <Badge appearance="outline" color="informative">None</Badge>;
  const color = rag === 'red' ? 'danger' : rag === 'amber' ? 'warning' : 'success';
  return (
    <Badge appearance="filled" color={color} aria-label={`RAG ${rag}`}>
      {rag[0]!.toUpperCase() + rag.slice(1)}
    </Badge>
  );
}

/** Shows what went wrong in words the person can act on; a 409 says to reload. */
export function ErrorBar({ error, onReload }: { error: unknown; onReload?: () => void }) {
  if (!error) return null;
  const conflict = error instanceof ApiError && error.status === 409;
  const message = error instanceof Error ? error.message : String(error);
  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <MessageBar intent={conflict ? 'warning' : 'error'} role="alert" data-testid={conflict ? 'conflict' : 'error'}>
      <MessageBarBody>
        <MessageBarTitle>{conflict ? 'Someone else changed this — reload' : 'That did not work'}</MessageBarTitle>
        {message}
        {issues.length ? ` (${issues.join('; ')})` : ''}
      </MessageBarBody>
      {conflict && onReload ? (
        <MessageBarActions>
          <Button onClick={onReload}>Reload</Button>
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title} style={{ marginBlock: 16 }}>
      <h2 style={{ fontSize: 18, margin: '8px 0' }}>{title}</h2>
      {children}
    </section>
  );
}

/** "2 March 2027": the domain's British long date, the one the cards, exports and audit lines use. */
export function formatLongDate(date: string | null | undefined): string {
  return date ? britishLongDate(date) : '';
}

/** "2 March 2027 at 14:05" in London time, for when something was done. */
export function formatWhen(at: string): string {
  const when = new Date(at);
  // An unreadable date reads as toLocaleString wrote it ("Invalid Date"); format() would throw.
  return Number.isNaN(when.getTime()) ? when.toString() : WHEN.format(when);
}

/*
 * Formatters made once: toLocaleString with options builds a new one on every call, and the
 * action log's rows call these hundreds of times per filter (a fifth of the main thread's time in it).
 */
const WHEN = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
const SHORT_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const shortDates = new Map<string, string>();

export function formatDate(date: string | null | undefined): string {
  if (!date) return '';
  const day = date.slice(0, 10);
  let text = shortDates.get(day);
  if (text === undefined) {
    const noon = new Date(`${day}T12:00:00Z`);
    text = Number.isNaN(noon.getTime()) ? noon.toString() : SHORT_DATE.format(noon);
    if (shortDates.size > 5_000) shortDates.clear();
    shortDates.set(day, text);
  }
  return text;
}
