import { createContext, useContext, useEffect, useId, useState } from 'react';
import { Input, Text, makeStyles, tokens, type InputProps } from '@fluentui/react-components';
import { datePlaceholder, formatDateForInput, parseDateInput } from './date-input-format';

/** The person's locale, from Teams or the browser (see teams.ts): date fields are typed in its order. */
export const LocaleContext = createContext('en-GB');

const useStyles = makeStyles({
  wrap: { display: 'flex', flexDirection: 'column', gap: '2px' },
  error: { color: tokens.colorPaletteRedForeground1 },
});

type DateInputProps = Omit<InputProps, 'value' | 'onChange' | 'type' | 'defaultValue'> & {
  /** An ISO date ("2027-01-29"), '' for none, or the text typed when it is not a date yet. */
  readonly value: string;
  readonly onChange: (value: string) => void;
};

/**
 * A date typed the way the person writes dates (29/01/2027 for en-GB, 01/29/2027 for en-US),
 * rather than the browser's date control, whose order follows the browser's language and not
 * the person's Teams locale. It hands the form an ISO date as soon as the text is a real date;
 * until then the text itself, which the server refuses with a message saying what to fix.
 */
export function DateInput({ value, onChange, onBlur, ...rest }: DateInputProps) {
  const styles = useStyles();
  const locale = useContext(LocaleContext);
  const messageId = useId();
  const [text, setText] = useState(() => formatDateForInput(value, locale));
  const [invalid, setInvalid] = useState(false);
  // A value set from outside (loaded, or cleared after saving) replaces what is in the box.
  useEffect(() => {
    setText((current) => ((parseDateInput(current, locale) ?? current) === value ? current : formatDateForInput(value, locale)));
  }, [value, locale]);

  return (
    <span className={styles.wrap}>
      <Input
        {...rest}
        type="text"
        autoComplete="off"
        placeholder={datePlaceholder(locale)}
        value={text}
        aria-invalid={invalid || undefined}
        onChange={(_, d) => {
          setText(d.value);
          setInvalid(false);
          onChange(d.value.trim() === '' ? '' : (parseDateInput(d.value, locale) ?? d.value));
        }}
        onBlur={(e) => {
          const iso = parseDateInput(text, locale);
          if (iso) setText(formatDateForInput(iso, locale));
          setInvalid(text.trim() !== '' && !iso);
          onBlur?.(e);
        }}
      />
      {invalid ? (
        <Text id={messageId} size={200} role="alert" className={styles.error}>
          Not a date: write it as {datePlaceholder(locale)}
        </Text>
      ) : null}
    </span>
  );
}
