import { describe, expect, it } from 'vitest';
import { bankHolidaysEnglandAndWales, easterSunday, isWorkingDay, londonClock } from '../../bot/domain/index.js';

describe('England and Wales bank holidays', () => {
  // As published on GOV.UK for these years.
  it.each([
    [2020, ['2020-01-01', '2020-04-10', '2020-04-13', '2020-05-08', '2020-05-25', '2020-08-31', '2020-12-25', '2020-12-28']],
    [2022, ['2022-01-03', '2022-04-15', '2022-04-18', '2022-05-02', '2022-06-02', '2022-06-03', '2022-08-29', '2022-09-19', '2022-12-26', '2022-12-27']],
    [2023, ['2023-01-02', '2023-04-07', '2023-04-10', '2023-05-01', '2023-05-08', '2023-05-29', '2023-08-28', '2023-12-25', '2023-12-26']],
    [2026, ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28']],
    [2027, ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28']],
  ])('matches the published list for %i', (year, expected) => {
    expect(bankHolidaysEnglandAndWales(year)).toEqual(expected);
  });

  it('computes Easter', () => {
    expect([easterSunday(2024), easterSunday(2025), easterSunday(2026)]).toEqual(['2024-03-31', '2025-04-20', '2026-04-05']);
  });

  it('treats weekends and bank holidays as non-working days', () => {
    expect(isWorkingDay('2026-12-25')).toBe(false);
    expect(isWorkingDay('2026-12-28')).toBe(false); // Boxing Day substitute
    expect(isWorkingDay('2026-11-21')).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-23')).toBe(true);
  });

  it('reads the London date and hour across the clock changes', () => {
    expect(londonClock(new Date('2026-10-25T00:30:00Z'))).toMatchObject({ date: '2026-10-25', hour: 1 }); // BST
    expect(londonClock(new Date('2026-10-25T01:30:00Z'))).toMatchObject({ date: '2026-10-25', hour: 1 }); // GMT again
    expect(londonClock(new Date('2026-07-01T23:30:00Z'))).toMatchObject({ date: '2026-07-02', hour: 0 });
    expect(londonClock(new Date('2026-12-01T23:30:00Z'))).toMatchObject({ date: '2026-12-01', hour: 23 });
  });
});
