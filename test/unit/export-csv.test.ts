import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { actionLogDocx, csvField, toCsv } from '../../bot/services/exports.js';

describe('CSV fields (RFC 4180, formula-safe)', () => {
  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+1', "'=1+1"],
    ['+44 1752', "'+44 1752"],
    ['-2 cases', "'-2 cases"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=cmd', "'\t=cmd"],
    ['=HYPERLINK("x","y")', '"\'=HYPERLINK(""x"",""y"")"'],
    ['a=b', 'a=b'],
  ])('writes %j as %j', (input, output) => {
    expect(csvField(input)).toBe(output);
  });

  it('writes empty cells for null and undefined, and numbers as they are', () => {
    expect([csvField(null), csvField(undefined), csvField(3)]).toEqual(['', '', '3']);
  });

  it('ends every row with CRLF and starts with a BOM', () => {
    expect(toCsv([['a', 'b'], ['c', 'd']])).toBe('\uFEFFa,b\r\nc,d\r\n');
  });
});

describe('the Word action log', () => {
  it('is a .docx whose document holds each action and says when it was produced', async () => {
    const buffer = await actionLogDocx([], '2026-11-23', 'All actions.');
    const zip = await JSZip.loadAsync(buffer);
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toMatch(/As at 23 November 2026\. All actions\. 0 actions\./);
    expect(zip.file('[Content_Types].xml')).not.toBeNull();
  });
});
