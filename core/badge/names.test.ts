import { describe, expect, it } from 'vitest';
import { badgeName } from './names';
import { directionOf, isCjk, langOf, scriptOf } from './scripts';

describe('badgeName', () => {
  it.each([
    // Chinese, Japanese, Korean: family name first, no space, the whole name is the big line.
    [
      { firstName: '지우', lastName: '김' },
      { primary: '김지우', secondary: null, joined: true },
    ],
    [
      { firstName: '洋', lastName: '杨' },
      { primary: '杨洋', secondary: null },
    ],
    [
      { firstName: '太郎', lastName: '山田' },
      { primary: '山田太郎', secondary: null },
    ],
    // ...unless the data says otherwise.
    [
      { firstName: '지우', lastName: '김', nameOrder: 'given-first' as const },
      { primary: '지우', secondary: '김', joined: false },
    ],
    // Other names: first (or preferred) name big, the rest beneath.
    [
      { firstName: 'William', lastName: 'Fitzgerald' },
      { primary: 'William', secondary: 'Fitzgerald' },
    ],
    [
      { firstName: 'William', lastName: 'Fitzgerald', preferredName: 'Bill' },
      { primary: 'Bill', secondary: 'William Fitzgerald' },
    ],
    [
      { firstName: 'William', lastName: 'Fitzgerald', preferredName: 'William' },
      { primary: 'William', secondary: 'Fitzgerald' },
    ],
    [
      { firstName: 'عمر', lastName: 'صالح' },
      { primary: 'عمر', secondary: 'صالح' },
    ],
    [
      { firstName: 'Péter', lastName: 'Nagy', nameOrder: 'family-first' as const },
      { primary: 'Péter', secondary: 'Nagy Péter' },
    ],
    [
      { firstName: 'Eko', lastName: '' },
      { primary: 'Eko', secondary: null },
    ],
    [
      { firstName: '', lastName: 'Ødegård' },
      { primary: 'Ødegård', secondary: null },
    ],
    // Mixed scripts are not CJK: given name first, with a space.
    [
      { firstName: 'Ana', lastName: '杨' },
      { primary: 'Ana', secondary: '杨', joined: false },
    ],
    [
      { firstName: ' Zoe\u0308 ', lastName: 'Łukasz' },
      { primary: 'Zoë', secondary: 'Łukasz' },
    ],
  ])('%j', (person, want) => {
    expect(badgeName(person)).toMatchObject(want);
  });
});

describe('scripts', () => {
  it('direction from the first strong letter', () => {
    expect(directionOf('عمر صالح')).toBe('rtl');
    expect(directionOf('דוד כהן')).toBe('rtl');
    expect(directionOf('123 عمر')).toBe('rtl');
    expect(directionOf('Ana عمر')).toBe('ltr');
    expect(directionOf('김지우')).toBe('ltr');
  });

  it('language tags for CJK glyph forms, and CJK detection', () => {
    expect(langOf('김지우')).toBe('ko');
    expect(langOf('山田さくら')).toBe('ja');
    expect(langOf('杨洋')).toBe('zh-CN');
    expect(langOf('陳大文', 'TW')).toBe('zh-TW');
    expect(langOf('Zoë')).toBe('und');
    expect(isCjk('杨洋')).toBe(true);
    expect(isCjk('Ana 杨')).toBe(false);
    expect(isCjk('123')).toBe(false);
    expect(['杨', 'ஸ', 'Ж', 'ğ'].map(scriptOf)).toEqual(['Han', 'Tamil', 'Cyrillic', 'Latin']);
  });
});
