import { useEffect, useState } from 'react';
import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Badge, Text, makeStyles, tokens } from '@fluentui/react-components';
import { api, type RoundView } from './api';
import type { Session } from './session';
import { ErrorBar, RagBadge, Section, formatLongDate, formatWhen } from './ui';

const useStyles = makeStyles({
  header: { display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'center' },
  version: { borderInlineStartWidth: '3px', borderInlineStartStyle: 'solid', borderInlineStartColor: tokens.colorNeutralStroke2, paddingInlineStart: '8px', marginBlock: '8px' },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '2px 12px', whiteSpace: 'pre-wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
});

const STATE_COLOURS = { submitted: 'success', late: 'warning', missing: 'danger', 'not-in-yet': 'informative', 'no-lead': 'subtle' } as const;

/** The meeting's round of theme reports: who has reported, and every version with its text where the server gives it. */
export function ReportRound({ session, meetingId, revision }: { session: Session; meetingId: string; revision: number }) {
  const styles = useStyles();
  const [round, setRound] = useState<RoundView | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    // A slower answer for the meeting shown before must not land on this one.
    let current = true;
    setError(null);
    api<RoundView>(session.identity, `/api/tab/meetings/${encodeURIComponent(meetingId)}/reports`).then(
      (r) => current && setRound(r),
      (e: unknown) => current && setError(e),
    );
    return () => {
      current = false;
    };
  }, [session.identity, meetingId, revision]);

  if (error) return <ErrorBar error={error} />;
  // Until this meeting's round is read, show nothing rather than the previous meeting's.
  if (!round || round.meeting.id !== meetingId) return null;
  return (
    <Section title="Report round">
      {!round.round ? (
        <Text>No report round: the meeting has no paper deadline, or it was cancelled before one opened.</Text>
      ) : (
        <>
          <Text as="p" data-testid="round-summary">
            {round.reported} of {round.expected} theme{round.expected === 1 ? '' : 's'} reported · papers due {formatLongDate(round.round.deadline)}
            {round.round.closed ? ' · round closed' : ''}
          </Text>
          {round.themes.length === 0 ? <Text>No active themes: add a theme with its lead on the People tab.</Text> : null}
          <Accordion multiple collapsible aria-label="Theme reports">
            {round.themes.map((t) => (
              <AccordionItem key={t.themeId} value={t.themeId} data-theme-id={t.themeId}>
                <AccordionHeader>
                  <span className={styles.header}>
                    <Text weight="semibold">{t.themeName}</Text>
                    <Text className={styles.muted}>{t.leads.map((l) => l.initials).join(', ') || 'no lead'}</Text>
                    <Badge appearance="tint" color={STATE_COLOURS[t.state]}>
                      {t.stateLabel}
                    </Badge>
                    {t.versions.length ? <RagBadge rag={t.rag} /> : null}
                    {t.versions.length > 1 ? <Text size={200}>{t.versions.length} versions</Text> : null}
                  </span>
                </AccordionHeader>
                <AccordionPanel>
                  {t.versions.length === 0 ? <Text>Nothing submitted yet.</Text> : null}
                  {[...t.versions].reverse().map((v, i) => (
                    <div key={v.submittedAt} className={styles.version}>
                      <Text weight="semibold">
                        Version {t.versions.length - i}, {formatWhen(v.submittedAt)} by {v.byInitials}
                      </Text>
                      {v.content ? (
                        <div className={styles.facts}>
                          <Text weight="semibold">Progress</Text>
                          <Text>{v.content.progress || '—'}</Text>
                          <Text weight="semibold">Asks of the Exec</Text>
                          <Text>{v.content.asks || '—'}</Text>
                          <Text weight="semibold">Risks</Text>
                          <Text>{v.content.risks || '—'}</Text>
                          <Text weight="semibold">Data</Text>
                          <Text>{v.content.data || '—'}</Text>
                        </div>
                      ) : (
                        <Text as="p" italic>
                          The text is for the chair, the secretariat and the theme&rsquo;s lead.
                        </Text>
                      )}
                    </div>
                  ))}
                </AccordionPanel>
              </AccordionItem>
            ))}
          </Accordion>
        </>
      )}
    </Section>
  );
}
