import { useCallback, useEffect, useState } from 'react';
import { Button, Field, MessageBar, MessageBarBody, Select, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles } from '@fluentui/react-components';
import { api, download } from './api';
import type { EngagementView } from '../../bot/services/chairs-letter.js';
import type { Session } from './session';
import { ErrorBar, Section } from './ui';

const useStyles = makeStyles({
  scroll: { overflowX: 'auto' },
  bar: { display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'end', marginBlock: '8px' },
});

const COUNTS = [2, 3, 4, 5, 6, 8];

/**
 * The chair's letters (issue 12, item 3), for the chair and the secretariat: each responsible
 * authority with no current decision-making member on the Exec, or poor attendance over its last
 * N meetings, with a button that drafts the letter as Word and records who drafted it, and when.
 */
export function ChairsLetters({ session }: { session: Session }) {
  const styles = useStyles();
  const [count, setCount] = useState(4);
  const [view, setView] = useState<EngagementView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setView(await api<EngagementView>(session.identity, `/api/tab/governance/letters/candidates?meetings=${count}`));
    } catch (e) {
      setError(e);
    }
  }, [session.identity, count]);
  useEffect(() => {
    void load();
  }, [load]);

  const draft = async (organisationId: string, organisation: string) => {
    setBusy(organisationId);
    setError(null);
    setNotice(null);
    try {
      const fileName = await download(session.identity, `/api/tab/organisations/${encodeURIComponent(organisationId)}/letter`, { method: 'POST', body: JSON.stringify({ meetings: count }) });
      setNotice(`Letter to ${organisation} drafted: ${fileName}. Open it in Word to edit, sign and send.`);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const due = view?.authorities.filter((a) => a.reasons.length > 0) ?? [];
  const written = view?.authorities.filter((a) => a.reasons.length === 0 && a.lastLetter) ?? [];
  return (
    <Section title="Letters from the chair to responsible authorities">
      <div className={styles.bar}>
        <Field label="Meetings looked at">
          <Select value={String(count)} onChange={(_, d) => setCount(Number(d.value))}>
            {COUNTS.map((n) => (
              <option key={n} value={n}>
                Last {n}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <ErrorBar error={error} />
      {notice ? (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      ) : null}
      {!view ? (
        error ? null : <Spinner size="small" label="Checking the responsible authorities…" />
      ) : (
        <>
          <Text as="p" size={200}>
            A letter is due when an authority has no current decision-making member on the {view.groupName}, or was {view.rule}. Meetings counted: {view.meetingsCounted}.
          </Text>
          {due.length === 0 && written.length === 0 ? <Text as="p">Every responsible authority has a decision-making member and attends: no letter is due.</Text> : null}
          {due.length + written.length > 0 ? (
            <div className={styles.scroll}>
              <Table size="small" aria-label="Letters from the chair">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Organisation</TableHeaderCell>
                    <TableHeaderCell>Why</TableHeaderCell>
                    <TableHeaderCell>Letter</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {[...due, ...written].map((a) => (
                    <TableRow key={a.organisationId}>
                      <TableCell>
                        {a.organisation} ({a.authorityLabel})
                      </TableCell>
                      <TableCell>{a.reasons.length ? `${a.reasonLabels.join('; ')}. ${a.attendanceLabel}.` : a.summary}</TableCell>
                      <TableCell>
                        {a.lastLetter ? <Text as="p">{a.lastLetter.text}</Text> : null}
                        {a.reasons.length ? (
                          <Button size="small" style={{ color: 'inherit' }} disabled={busy !== null} onClick={() => void draft(a.organisationId, a.organisation)} aria-label={`Draft letter to ${a.organisation}`}>
                            {busy === a.organisationId ? 'Drafting…' : 'Draft letter'}
                          </Button>
                        ) : null}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          ) : null}
        </>
      )}
    </Section>
  );
}
