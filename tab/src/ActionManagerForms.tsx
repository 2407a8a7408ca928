import { useEffect, useState, type FormEvent } from 'react';
import { Button, Field, Input, Textarea, makeStyles } from '@fluentui/react-components';
import type { ActionDetail } from './api';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '8px', marginBlock: '12px' },
  buttons: { display: 'flex', gap: '8px', flexWrap: 'wrap' },
});

export type ManagerChange = { kind: 'edit-text'; text: string } | { kind: 'defer'; note?: string } | { kind: 'set-status'; status: 'dropped'; note: string };

/**
 * What only the chair and the secretariat do to an action (each form shown as `allowed` says): correct its wording (the old text
 * stays in the history), defer it to the next meeting, and drop it, saying why.
 */
export function ActionManagerForms({ detail, busy, submit }: { detail: ActionDetail; busy: boolean; submit: (change: ManagerChange, done: string) => Promise<boolean> }) {
  const styles = useStyles();
  const [text, setText] = useState(detail.text);
  const [deferNote, setDeferNote] = useState('');
  const [dropReason, setDropReason] = useState('');
  useEffect(() => setText(detail.text), [detail.text]);

  const onSubmit = (handler: () => Promise<boolean>, reset: () => void) => (e: FormEvent) => {
    e.preventDefault();
    void handler().then((ok) => ok && reset());
  };
  // Which of these forms show is the server's `allowed` (the domain's rule for this person and this action).
  const { editText, defer, drop } = detail.allowed;

  return (
    <>
      {editText ? (
        <form className={styles.form} aria-label="Correct the wording" onSubmit={onSubmit(() => submit({ kind: 'edit-text', text }, 'Wording corrected; the old text is kept in the history.'), () => undefined)}>
          <Field label="Wording of the action" hint="Correct it as the minutes were corrected; the old wording stays in the history.">
            <Textarea value={text} onChange={(_, d) => setText(d.value)} maxLength={2000} resize="vertical" />
          </Field>
          <div className={styles.buttons}>
            <Button type="submit" disabledFocusable={busy || !text.trim() || text.trim() === detail.text}>
              Save wording
            </Button>
          </div>
        </form>
      ) : null}
      {defer ? (
        <form className={styles.form} aria-label="Defer to the next meeting" onSubmit={onSubmit(() => submit(deferNote.trim() ? { kind: 'defer', note: deferNote } : { kind: 'defer' }, 'Deferred: it rolls over to the next meeting marked as deferred.'), () => setDeferNote(''))}>
          <Field label="Note on the deferral (optional)">
            <Input value={deferNote} onChange={(_, d) => setDeferNote(d.value)} maxLength={2000} />
          </Field>
          <div className={styles.buttons}>
            <Button type="submit" disabledFocusable={busy}>
              Defer to the next meeting
            </Button>
          </div>
        </form>
      ) : null}
      {drop ? (
        <form className={styles.form} aria-label="Drop the action" onSubmit={onSubmit(() => submit({ kind: 'set-status', status: 'dropped', note: dropReason }, 'Action dropped; the reason stays in its history.'), () => setDropReason(''))}>
          <Field label="Why it is dropped" hint="The board reads the reason: it stays in the action's history." required>
            <Input value={dropReason} onChange={(_, d) => setDropReason(d.value)} maxLength={2000} />
          </Field>
          <div className={styles.buttons}>
            <Button type="submit" disabledFocusable={busy || !dropReason.trim()}>
              Drop action
            </Button>
          </div>
        </form>
      ) : null}
    </>
  );
}
