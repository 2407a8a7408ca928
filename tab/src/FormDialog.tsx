import { useCallback, useState, type ReactNode } from 'react';
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, makeStyles } from '@fluentui/react-components';
import { ErrorBar } from './ui';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: '10px' },
});

/** One submission at a time: a second press while the first is on the wire does nothing. */
export function useSubmission() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(
    async (work: () => Promise<void>) => {
      if (busy) return;
      setBusy(true);
      setError(null);
      try {
        await work();
      } catch (e) {
        setError(e);
      } finally {
        setBusy(false);
      }
    },
    [busy],
  );
  return { busy, error, setError, run };
}

/**
 * A modal form with a title: Enter in a field submits it, Escape or the dismiss button closes it,
 * and what the server refused is shown above the fields in its own words.
 */
export function FormDialog({
  title,
  submitLabel,
  dismissLabel = 'Cancel',
  busy,
  error,
  onSubmit,
  onClose,
  children,
  wide,
  extraActions,
}: {
  title: string;
  submitLabel: string;
  dismissLabel?: string;
  busy: boolean;
  error: unknown;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  extraActions?: ReactNode;
}) {
  const styles = useStyles();
  return (
    <Dialog open modalType="modal" onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface style={wide ? { maxWidth: '760px' } : undefined}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onSubmit();
          }}
        >
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent className={styles.content}>
              <ErrorBar error={error} />
              {children}
            </DialogContent>
            <DialogActions>
              {extraActions}
              <Button appearance="secondary" onClick={onClose}>
                {dismissLabel}
              </Button>
              <Button type="submit" appearance="primary" disabled={busy}>
                {submitLabel}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
