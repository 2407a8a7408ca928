import { useState } from 'react';
import { Button } from '@fluentui/react-components';
import { download, type Meeting } from './api';
import type { Session } from './session';
import { ErrorBar } from './ui';

/**
 * The papers pack of a scheduled meeting (issue 12, item 4), as Word or PDF: the server builds it
 * from the record (agenda, matters arising, theme reports, governance). The PDF needs LibreOffice
 * on the server; without it the answer says so and the Word version still works.
 */
export function PapersPackButtons({ session, meeting }: { session: Session; meeting: Meeting }) {
  const [busy, setBusy] = useState<'docx' | 'pdf' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const fetchPack = async (format: 'docx' | 'pdf') => {
    setBusy(format);
    setError(null);
    try {
      await download(session.identity, `/api/tab/meetings/${encodeURIComponent(meeting.id)}/papers.${format}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <Button disabled={busy !== null} onClick={() => void fetchPack('docx')}>
        {busy === 'docx' ? 'Preparing…' : 'Papers pack (Word)'}
      </Button>
      <Button disabled={busy !== null} onClick={() => void fetchPack('pdf')}>
        {busy === 'pdf' ? 'Preparing…' : 'Papers pack (PDF)'}
      </Button>
      {/* Under the buttons, across the row: "LibreOffice is not installed…" says the Word version still works. */}
      {error ? (
        <div style={{ flexBasis: '100%' }}>
          <ErrorBar error={error} />
        </div>
      ) : null}
    </>
  );
}
