/**
 * The scanner test/security/log-capture.test.ts runs over everything the app prints: it must
 * flag a name, a text, a token wherever they sit in a line, and say where without repeating them.
 * And the logger itself: what it is given as content never comes out.
 */
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../bot/observability/logger.js';
import { describeLeaks, findLeaks, needles, type CapturedLine } from '../support/log-leaks.js';

const line = (text: string, lineNumber = 1): CapturedLine => ({ source: 'app:stdout', lineNumber, text });
const NAME = needles('a member name', ['Tracey Naismith']);

describe('the log leak scanner', () => {
  it('flags a log line carrying a member name, whatever its case, and reports its event only', () => {
    const leaks = findLeaks([line('{"level":"info","event":"bot.installed","conversationId":"a:1"}', 1), line('{"level":"warn","event":"bot.oops","who":"TRACEY naismith"}', 2)], NAME);
    expect(leaks).toEqual([{ source: 'app:stdout', lineNumber: 2, event: 'bot.oops', kind: 'a member name' }]);
    expect(describeLeaks(leaks)).toBe('app:stdout line 2, event bot.oops: contains a member name');
    expect(describeLeaks(leaks)).not.toMatch(/tracey|naismith/i);
  });

  it('flags a line that is not a log line (a library printing an error), naming it as such', () => {
    const leaks = findLeaks([line('RestError: could not send "Tracey Naismith"')], NAME);
    expect(leaks).toEqual([expect.objectContaining({ event: '(not a JSON log line)', kind: 'a member name' })]);
  });

  it('finds a text with quotes as JSON writes it, and a long text cut short by the logger', () => {
    const quoted = 'The "street pastors" scheme is extended to the Barbican';
    const long = `Commission a review of street lighting on the Barbican ${'and the waterfront '.repeat(12)}before the winter`;
    const search = needles('an action text', [quoted, long]);
    expect(findLeaks([line(JSON.stringify({ event: 'x', field: quoted }))], search)).toHaveLength(1);
    expect(findLeaks([line(JSON.stringify({ event: 'y', field: long.slice(0, 200) }))], search)).toHaveLength(1);
  });

  it('flags a bearer credential and a JWT-shaped string even when no value was given', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    const kinds = findLeaks([line(`{"event":"a","auth":"Bearer abc"}`, 1), line(`{"event":"b","t":"${jwt}"}`, 2)], []).map((l) => `${l.event}: ${l.kind}`);
    expect(kinds).toEqual(['a: a "Bearer " credential', 'b: a JWT-shaped string']);
  });

  it('leaves out values too short to search for, and finds nothing in a clean line', () => {
    expect(needles('initials', ['TN', 'AM', '  ', null, 'amber'])).toEqual([]);
    expect(findLeaks([line('{"event":"sweep.sent","deliveryId":"reminder:act-exec-3-08:2026-11-17:on-day:mem-tn"}')], NAME)).toEqual([]);
  });
});

describe('the JSON logger', () => {
  it('writes one JSON line per event and drops every field that could carry contents', () => {
    const lines: string[] = [];
    const logger = createJsonLogger((l) => lines.push(l));
    logger.log('info', 'bot.card_action', {
      verb: 'action.addUpdate',
      memberName: 'Tracey Naismith',
      email: 'tn@saferplymouth.example',
      note: 'Spoke to the licensing team',
      reportProgress: 'Street pastors scheme extended',
      authToken: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', event: 'bot.card_action', verb: 'action.addUpdate' });
    const search = needles('content', ['Tracey Naismith', 'tn@saferplymouth.example', 'Spoke to the licensing team', 'Street pastors scheme extended']);
    expect(describeLeaks(findLeaks(lines.map((l) => line(l)), search))).toBe('');
  });

  it('keeps an error\'s class name, and only when it looks like one', () => {
    const lines: string[] = [];
    const logger = createJsonLogger((l) => lines.push(l));
    logger.log('error', 'bot.turn_error', { errorName: 'RestError' });
    logger.log('error', 'bot.turn_error', { errorName: 'Tracey Naismith could not be reached' });
    expect(lines.map((l) => JSON.parse(l).errorName)).toEqual(['RestError', 'unrecognised']);
  });
});
