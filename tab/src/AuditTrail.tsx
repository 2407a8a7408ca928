import { useState } from 'react';
import { Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles } from '@fluentui/react-components';
import type { AuditEntryView } from './api';
import { Section, formatWhen } from './ui';

const useStyles = makeStyles({ scroll: { overflowX: 'auto' } });

const KIND_LABELS: Record<AuditEntryView['recordKind'], string> = {
  person: 'Person',
  organisation: 'Organisation',
  theme: 'Theme',
  group: 'Group',
  membership: 'Membership',
  meeting: 'Meeting',
};

const FIRST_PAGE = 50;

/** Who changed which record, when, and what: newest first, as the server keeps it. */
export function AuditTrail({ entries }: { entries: readonly AuditEntryView[] }) {
  const styles = useStyles();
  const [all, setAll] = useState(false);
  const shown = all ? entries : entries.slice(0, FIRST_PAGE);
  return (
    <Section title="Audit trail">
      {entries.length === 0 ? <Text>Nothing changed yet.</Text> : null}
      {entries.length ? (
        <div className={styles.scroll}>
          <Table size="small" aria-label="Audit trail">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>When</TableHeaderCell>
                <TableHeaderCell>Who</TableHeaderCell>
                <TableHeaderCell>Record</TableHeaderCell>
                <TableHeaderCell>What changed</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {shown.map((e, i) => (
                <TableRow key={`${e.at}-${i}`}>
                  <TableCell>{formatWhen(e.at)}</TableCell>
                  <TableCell>{e.byInitials ?? 'System'}</TableCell>
                  <TableCell>
                    {KIND_LABELS[e.recordKind]}: {e.record}
                  </TableCell>
                  <TableCell>{e.summary}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : null}
      {!all && entries.length > FIRST_PAGE ? <Button onClick={() => setAll(true)}>Show all {entries.length} changes</Button> : null}
    </Section>
  );
}
