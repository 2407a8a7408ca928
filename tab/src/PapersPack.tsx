import { useState } from 'react';
import { Button } from '@fluentui/react-components';
import { download, type Meeting } from './api';
import type { Session } from './session';

/**
 * The papers pack of a scheduled meeting (issue 12, item 4), as Word or PDF: the server builds it
 * from the record (agenda, matters arising, theme reports, governance). The PDF needs LibreOffice
 * on the server; without it the answer says so and the Word version still works.
 */
export function PapersPackButtons({ session, meeting, onError }: { session: Session; meeting: Meeting; onError: (error: unknown) => void }) {
  const [busy, setBusy] = useState<'docx' | 'pdf' | null>(null);
  const fetchPack = async (format: 'docx' | 'pdf') => {
    setBusy(format);
    onError(null);
    try {
      await download(session.identity, `/api/tab/meetings/${encodeURIComponent(meeting.id)}/papers.${format}`);
    } catch (e) {
      onError(e);
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
    </>
  );
}
