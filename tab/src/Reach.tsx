import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles } from '@fluentui/react-components';
import { api, type FailedDeliveryView, type ReachReportView } from './api';
import type { Session } from './session';
import { ErrorBar, Section, formatWhen, useNarrow } from './ui';

const useStyles = makeStyles({
  scroll: { overflowX: 'auto' },
  bar: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'center', marginBlock: '8px' },
});

const TEAM_CHECK_NOTES: Record<ReachReportView['team'], string | null> = {
  ok: null,
  'no-team-install': 'The app is not in the board\u2019s team in Teams, so the bot can only reach people who added it themselves.',
  unavailable: 'Teams could not be asked who is in the board\u2019s team just now: the list may change when it answers.',
  'not-asked': 'Teams was not asked who is in the board\u2019s team.',
};

/**
 * For the chair and secretariat: who the bot cannot remind, and which of its messages did not
 * arrive (or may not have), each with why and what to do. The lists come from the server as
 * the secretariat reads them: labels, not codes.
 */
export function ReachView({ session }: { session: Session }) {
  const styles = useStyles();
  const narrow = useNarrow();
  const [reach, setReach] = useState<ReachReportView | null>(null);
  const [failures, setFailures] = useState<readonly FailedDeliveryView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    setLoading(true);
    try {
      const [r, f] = await Promise.all([
        api<ReachReportView>(session.identity, '/api/tab/bot/unreachable'),
        api<{ failures: FailedDeliveryView[] }>(session.identity, '/api/tab/bot/deliveries/failed'),
      ]);
      setReach(r);
      setFailures(f.failures);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [session.identity]);
  useEffect(() => {
    void load();
  }, [load]);

  if (!reach || !failures) return error ? <ErrorBar error={error} /> : <Spinner label="Loading who the bot can reach…" />;
  const note = TEAM_CHECK_NOTES[reach.team];
  return (
    <div>
      <div className={styles.bar}>
        <Button onClick={() => void load()} disabled={loading}>
          Check again
        </Button>
        {loading ? <Spinner size="tiny" aria-label="Checking" /> : null}
      </div>
      <ErrorBar error={error} />
      <Section title="Members the bot cannot reach">
        {note ? <Text as="p">{note}</Text> : null}
        {reach.members.length === 0 ? (
          <Text as="p" data-testid="everyone-reachable">
            The bot can message every current member in a personal chat.
          </Text>
        ) : (
          <div className={styles.scroll}>
            <Table size="small" aria-label="Members the bot cannot reach">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Member</TableHeaderCell>
                  <TableHeaderCell>Why, and what would fix it</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {reach.members.map((m) => (
                  <TableRow key={m.memberId} data-member-id={m.memberId}>
                    <TableCell>
                      {m.initials} – {m.name}
                    </TableCell>
                    <TableCell>{m.reasonLabel}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </Section>
      <Section title="Messages not delivered">
        {failures.length === 0 ? (
          <Text as="p" data-testid="no-failures">
            Every message the bot sent arrived.
          </Text>
        ) : (
          <div className={styles.scroll}>
            <Table size="small" aria-label="Messages not delivered">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Message</TableHeaderCell>
                  <TableHeaderCell>To</TableHeaderCell>
                  {narrow ? null : <TableHeaderCell>Last tried</TableHeaderCell>}
                  <TableHeaderCell>What happened</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {failures.map((f) => (
                  <TableRow key={f.id} data-delivery-id={f.id}>
                    <TableCell>
                      {f.kindLabel}
                      {f.about ? `: ${f.about}` : ''}
                    </TableCell>
                    <TableCell>{f.recipient}</TableCell>
                    {narrow ? null : <TableCell>{f.lastAttemptAt ? formatWhen(f.lastAttemptAt) : '—'}</TableCell>}
                    <TableCell>
                      <Badge appearance="tint" color={f.status === 'in-doubt' ? 'warning' : 'danger'}>
                        {f.statusLabel}
                      </Badge>{' '}
                      {f.reasonLabel}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </Section>
    </div>
  );
}
