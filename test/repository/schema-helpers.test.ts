import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

// The TypeBox building blocks are written once: messages/schema-parts.ts (an object taking only its properties, one of
// some strings) and messages/text-fields.ts (an e-mail address). A copy elsewhere drifts from them unseen (a length, a
// format, the strictness), so a file that writes one again fails here, whatever its layout after formatting.
const root = resolve(__dirname, '../..');
const SKIPPED = new Set(['node_modules', 'coverage', 'test']);

const HELPERS: ReadonlyArray<{ what: string; home: string; pattern: RegExp }> = [
  {
    what: 'a union of literals mapped from a list (literals)',
    home: 'messages/schema-parts.ts',
    pattern: /\.map\(\s*\(?\s*\w+\s*\)?\s*=>\s*Type\.Literal\(/g,
  },
  {
    what: 'an object of given properties and no other (strictObject)',
    home: 'messages/schema-parts.ts',
    pattern: /Type\.Object\(\s*[A-Za-z_$][\w$]*\s*,\s*\{\s*additionalProperties:\s*false\s*,?\s*\}\s*\)/g,
  },
  { what: 'an e-mail address field (Email)', home: 'messages/text-fields.ts', pattern: /format:\s*'email'/g },
];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') || SKIPPED.has(entry.name) ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Where `pattern` matches in `text`, as `file:line`. */
function places(file: string, text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map(
    (match) => `${relative(root, file)}:${text.slice(0, match.index).split('\n').length}`,
  );
}

describe('schema building blocks', () => {
  const files = sourceFiles(root);

  it.each(HELPERS)('$what is written only in $home', ({ home, pattern }) => {
    expect(files.length).toBeGreaterThan(200);
    const copies = files
      .filter((file) => relative(root, file) !== home)
      .flatMap((file) => places(file, readFileSync(file, 'utf8'), pattern));
    expect(copies).toEqual([]);
    // The one definition is still there, so the pattern still finds what it looks for.
    expect(places(home, readFileSync(join(root, home), 'utf8'), pattern)).toHaveLength(1);
  });

  it('finds a hand-written copy however it is laid out', () => {
    const copies = [
      'const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));',
      'const oneOf = (values: string[]) =>\n  Type.Union(\n    values.map((v) =>\n      Type.Literal(v),\n    ),\n  );',
      'const strictObject = <P extends Record<string, TSchema>>(properties: P) => Type.Object(properties, { additionalProperties: false });',
      'const strict = (p: Props) =>\n  Type.Object(p, {\n    additionalProperties: false,\n  });',
      "email: Line(320, { format: 'email' }),",
    ];
    expect(
      copies.map((text) => HELPERS.filter(({ pattern }) => places('copy.ts', text, pattern).length > 0).length),
    ).toEqual([1, 1, 1, 1, 1]);
  });
});
