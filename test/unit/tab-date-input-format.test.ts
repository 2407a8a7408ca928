import { describe, expect, it } from 'vitest';
import { datePlaceholder, formatDateForInput, parseDateInput } from '../../tab/src/date-input-format.js';

describe('date fields in the person\u2019s locale', () => {
  it('shows and reads en-GB dates day first: 29/01/2027', () => {
    expect(datePlaceholder('en-GB')).toBe('dd/mm/yyyy');
    expect(formatDateForInput('2027-01-29', 'en-GB')).toBe('29/01/2027');
    expect(parseDateInput('29/01/2027', 'en-GB')).toBe('2027-01-29');
    expect(parseDateInput('3/2/27', 'en-GB')).toBe('2027-02-03');
    expect(parseDateInput('03.02.2027', 'en-gb')).toBe('2027-02-03');
  });

  it('reads the same digits month first for en-US, and in its own order for German', () => {
    expect(datePlaceholder('en-US')).toBe('mm/dd/yyyy');
    expect(parseDateInput('03/02/2027', 'en-US')).toBe('2027-03-02');
    expect(formatDateForInput('2027-03-02', 'en-US')).toBe('03/02/2027');
    expect(datePlaceholder('de-DE')).toBe('dd.mm.yyyy');
    expect(formatDateForInput('2027-03-02', 'de-DE')).toBe('02.03.2027');
  });

  it('reads a date written year first as ISO in any locale', () => {
    expect(parseDateInput('2027-01-29', 'en-GB')).toBe('2027-01-29');
    expect(parseDateInput('2027-01-29', 'en-US')).toBe('2027-01-29');
  });

  it('refuses what is not a real date', () => {
    for (const text of ['31/02/2027', '29/13/2027', '29/01', 'next Tuesday', '29/01/202', '00/01/2027']) expect(parseDateInput(text, 'en-GB'), text).toBeNull();
    expect(parseDateInput('29/02/2028', 'en-GB')).toBe('2028-02-29');
  });
});
