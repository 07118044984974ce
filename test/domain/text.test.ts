import { findUnsafeText, TEXT_SHAPES, textPattern, toHeaderText, toStorable, toStorableText } from '../../domain/text';

const HIGH = '\ud800';
const LOW = '\udc00';
const PAIR = '\ud83d\ude00'; // 😀, a surrogate pair: one character

describe('findUnsafeText', () => {
  it.each([
    ['plain text', 'Printer down'],
    ['accents and a character outside the BMP', `Imprimante à l'étage ${PAIR}`],
    ['zero-width characters between visible ones (a joined emoji, a Persian non-joiner)', '👩\u200d💻 می\u200cخواهم'],
  ])('accepts %s in every shape', (_case, value) => {
    for (const shape of TEXT_SHAPES) expect(findUnsafeText(value, shape)).toBeUndefined();
  });

  it.each([
    ['a line separator', 'a\u2028b', 'U+2028'],
    ['a paragraph separator', 'a\u2029b', 'U+2029'],
    ['a next line (NEL)', 'a\u0085b', 'U+0085'],
    ['a line feed', 'a\nb', 'U+000A'],
  ])(
    'refuses %s in a line and a title as a line break, and takes it in multi-line text but NEL',
    (_case, value, unit) => {
      for (const shape of ['line', 'title'] as const)
        expect(findUnsafeText(value, shape)).toBe(`it holds a line break (${unit}) at offset 1`);
      expect(findUnsafeText(value, 'multiline')).toBe(
        unit === 'U+0085' ? 'it holds a line break (U+0085) at offset 1' : undefined,
      );
    },
  );

  it.each([
    ['NUL', 'ab\u0000', 'a control character (U+0000) at offset 2'],
    ['a bell', '\u0007', 'a control character (U+0007) at offset 0'],
    ['DEL', 'x\u007f', 'a control character (U+007F) at offset 1'],
    ['a C1 control', '\u0086', 'a control character (U+0086) at offset 0'],
    ['a high surrogate alone', `a${HIGH}b`, 'an unpaired surrogate (U+D800) at offset 1'],
    ['a low surrogate alone', `${LOW}`, 'an unpaired surrogate (U+DC00) at offset 0'],
    ['a pair in the wrong order', `${LOW}${HIGH}`, 'an unpaired surrogate (U+DC00) at offset 0'],
    ['a lone CR', 'a\rb', 'a line break (U+000D) at offset 1'],
    [
      'a right-to-left override (file name spoofing)',
      'invoice\u202efdp.exe',
      'a bidirectional control (U+202E) at offset 7',
    ],
    ['a left-to-right embedding', '\u202aabc', 'a bidirectional control (U+202A) at offset 0'],
    ['a first-strong isolate', 'a\u2068b', 'a bidirectional control (U+2068) at offset 1'],
    ['a pop directional isolate', 'ab\u2069', 'a bidirectional control (U+2069) at offset 2'],
  ])('refuses %s in every shape, naming it', (_case, value, reason) => {
    for (const shape of TEXT_SHAPES) expect(findUnsafeText(value, shape)).toBe(`it holds ${reason}`);
  });

  it('takes the right-to-left and left-to-right marks, which reorder nothing', () => {
    for (const mark of ['\u200e', '\u200f', '\u061c']) {
      expect(findUnsafeText(`שלום${mark} VPN`)).toBeUndefined();
      expect(findUnsafeText(`שלום${mark} VPN`, 'multiline')).toBeUndefined();
    }
  });

  it('refuses a title of white space alone, and takes one with anything else in it', () => {
    for (const blank of ['', ' ', '   ', '\u00a0', '\u3000 \u205f'])
      expect(findUnsafeText(blank, 'title')).toBe('it holds nothing but white space');
    expect(findUnsafeText(' Printer down ', 'title')).toBeUndefined();
    expect(findUnsafeText('\u3000 \u2028', 'title')).toBe('it holds a line break (U+2028) at offset 2');
    expect(findUnsafeText(' \t', 'title')).toBe('it holds a control character (U+0009) at offset 1');
    expect(findUnsafeText('   ')).toBeUndefined();
  });

  it.each([
    ['a zero-width space', '\u200b', 'U+200B at offset 0'],
    ['zero-width joiners and non-joiners', '\u200d\u200c', 'U+200D at offset 0'],
    ['a byte order mark', '\ufeff', 'U+FEFF at offset 0'],
    ['a word joiner among spaces', ' \u2060 ', 'U+2060 at offset 1'],
    ['a soft hyphen', '\u00ad\u00ad', 'U+00AD at offset 0'],
    ['a Hangul filler, the "blank name" of chat apps', '\u3164', 'U+3164 at offset 0'],
    ['the blank Braille pattern', '\u2800 ', 'U+2800 at offset 0'],
    ['a variation selector after no-break spaces', '\u00a0\ufe0f', 'U+FE0F at offset 1'],
  ])('refuses a title of %s alone as blank, naming the invisible character', (_case, blank, first) => {
    expect(findUnsafeText(blank, 'title')).toBe(`it holds nothing but white space and invisible characters (${first})`);
    // A line (an id, a filter) and multi-line text are not held to having something to read.
    expect(findUnsafeText(blank, 'line')).toBeUndefined();
    expect(findUnsafeText(blank, 'multiline')).toBeUndefined();
    expect(findUnsafeText(`${blank}Printer${blank}`, 'title')).toBeUndefined();
  });

  // The list domain/text.ts names is Unicode's own, as far as a class meaning the same with and without the `u` flag
  // can name it: every Default_Ignorable_Code_Point of the BMP (and the blank Braille pattern) is nothing to read.
  it('counts as invisible every BMP character Unicode says a renderer may ignore, and those only (and U+2800)', () => {
    const ignorable = /^\p{Default_Ignorable_Code_Point}$/u;
    const disagreements: string[] = [];
    for (let unit = 0; unit <= 0xffff; unit += 1) {
      if (unit >= 0xd800 && unit <= 0xdfff) continue;
      const character = String.fromCharCode(unit);
      if (/\s/.test(character)) continue;
      const blank = findUnsafeText(`${character}`, 'title')?.startsWith('it holds nothing but') === true;
      const expected = ignorable.test(character) || unit === 0x2800;
      // Those refused for what they are (controls, bidirectional controls) are neither.
      const refusedAnyway = findUnsafeText(character, 'line') !== undefined;
      if (!refusedAnyway && blank !== expected) disagreements.push(`U+${unit.toString(16).toUpperCase()}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('takes tab, LF and CRLF in multi-line text only', () => {
    for (const value of ['a\tb', 'a\nb', 'a\r\nb']) expect(findUnsafeText(value, 'multiline')).toBeUndefined();
    expect(findUnsafeText('a\tb')).toBe('it holds a control character (U+0009) at offset 1');
    expect(findUnsafeText('Printer\r\nBcc: x@evil.test')).toBe('it holds a line break (U+000D) at offset 7');
    expect(findUnsafeText('a\nb')).toBe('it holds a line break (U+000A) at offset 1');
  });
});

// The schema pattern and the check are derived from one definition: they must agree on every string, with the `u`
// flag (Ajv) and without it (TypeBox's Value), surrogate pairs included.
describe('textPattern', () => {
  const ALPHABET = [
    'a',
    'é',
    ' ',
    '\t',
    '\n',
    '\r',
    '\u0000',
    '\u001f',
    '\u007f',
    '\u009f',
    '\u00a0',
    HIGH,
    '\udbff',
    LOW,
    '\udfff',
    PAIR,
    '\ufffd',
    '\u3000',
    '\u202e',
    '\u2066',
    '\u200f',
    '\u200b',
    '\u00ad',
    '\ufeff',
    '\u3164',
    '\u0085',
    '\u2028',
    '\u2029',
    // A tag (U+E0041): invisible, but beyond what a class means alike with and without the `u` flag (domain/text.ts).
    '\udb40\udc41',
  ];
  let seed = 42;
  // A fixed pseudo-random sequence: the same strings on every run.
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  const strings = Array.from({ length: 3_000 }, () =>
    Array.from({ length: next() % 7 }, () => ALPHABET[next() % ALPHABET.length]).join(''),
  );

  it.each(TEXT_SHAPES)('agrees with findUnsafeText for %s text, with and without the u flag', (shape) => {
    const unicode = new RegExp(textPattern(shape), 'u');
    const legacy = new RegExp(textPattern(shape));
    const disagreements = strings.filter((value) => {
      const safe = findUnsafeText(value, shape) === undefined;
      return unicode.test(value) !== safe || legacy.test(value) !== safe;
    });
    expect(disagreements).toEqual([]);
  });

  it('tests a megabyte of text, the fault at its end, without running out of stack', () => {
    expect(new RegExp(textPattern('multiline'), 'u').test(`${'word '.repeat(200_000)}\n`)).toBe(true);
    expect(new RegExp(textPattern('multiline'), 'u').test(`${'word '.repeat(200_000)}\u0000`)).toBe(false);
    expect(new RegExp(textPattern('title'), 'u').test(`${'\u200b '.repeat(500_000)}`)).toBe(false);
    expect(new RegExp(textPattern('title')).test(`${'\u200b '.repeat(500_000)}x`)).toBe(true);
  });
});

describe('toStorableText and toStorable', () => {
  it('replaces NUL and unpaired surrogates by U+FFFD, and nothing else', () => {
    expect(toStorableText(`a\u0000b${HIGH}c${LOW}${PAIR}\n\t\u0007`)).toBe(`a\ufffdb\ufffdc\ufffd${PAIR}\n\t\u0007`);
    const clean = 'Printer down';
    expect(toStorableText(clean)).toBe(clean);
  });

  it('cleans every string of a value, keys included, and leaves the rest as it was', () => {
    const at = new Date(0);
    const value = {
      title: `x\u0000`,
      n: 3,
      ok: true,
      none: null,
      at,
      list: [`${HIGH}`, 1, { [`k\u0000`]: 'v' }],
      nested: { note: undefined },
    };
    expect(toStorable(value)).toEqual({
      title: 'x\ufffd',
      n: 3,
      ok: true,
      none: null,
      at,
      list: ['\ufffd', 1, { 'k\ufffd': 'v' }],
      nested: { note: undefined },
    });
    expect(JSON.stringify(toStorable(value))).not.toMatch(/\\u0000|\\ud800/);
    expect(value.title).toBe('x\u0000');
  });
});

describe('toHeaderText', () => {
  it('folds each run of CR, LF and other controls into one space, so no header can be injected', () => {
    expect(toHeaderText('Printer down\r\nBcc: x@evil.test')).toBe('Printer down Bcc: x@evil.test');
    expect(toHeaderText('a\nb\rc\td\u0000e\u0085f')).toBe('a b c d e f');
    expect(toHeaderText(`${HIGH}ok ${PAIR}`)).toBe(`\ufffdok ${PAIR}`);
  });
});
