import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

/** The repository's .ts file a relative import names (`./x` as x.ts, x/index.ts or the file itself); none for a package. */
export function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((path) => path.endsWith('.ts') && existsSync(path));
}

/** Every module `file` imports, type imports and dynamic imports included, as written. */
export function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map(({ fileName }) => fileName);
}

/** Named imports or exports that are all marked `type` (none at all is `import {} from`, which stays as a bare import). */
const allTypes = (elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>) =>
  elements.length > 0 && elements.every((element) => element.isTypeOnly);

/**
 * The modules `source` imports that are left once its types are erased, as the Temporal SDK's workflow bundler erases
 * them (swc, without verbatimModuleSyntax): without the `import type` and `export type ... from` statements, nor those
 * whose named imports or exports are all marked `type`. An import whose names are used only as types but not marked
 * so is erased too, yet followed here: to err, this errs on the side of following too much.
 */
export function valueImportsOf(source: string): string[] {
  const file = ts.createSourceFile('module.ts', source, ts.ScriptTarget.Latest, true);
  const erased = new Set<number>();
  for (const statement of file.statements) {
    const clause = ts.isImportDeclaration(statement) ? statement.importClause : undefined;
    const erasedImport =
      clause !== undefined &&
      (clause.phaseModifier === ts.SyntaxKind.TypeKeyword ||
        (clause.name === undefined &&
          clause.namedBindings !== undefined &&
          ts.isNamedImports(clause.namedBindings) &&
          allTypes(clause.namedBindings.elements)));
    const erasedExport =
      ts.isExportDeclaration(statement) &&
      (statement.isTypeOnly ||
        (statement.exportClause !== undefined &&
          ts.isNamedExports(statement.exportClause) &&
          allTypes(statement.exportClause.elements)));
    const specifier = (statement as Partial<ts.ImportDeclaration | ts.ExportDeclaration>).moduleSpecifier;
    // preProcessFile names an import by where its specifier starts, its opening quote.
    if ((erasedImport || erasedExport) && specifier) erased.add(specifier.getStart(file));
  }
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.filter(({ pos }) => !erased.has(pos))
    .map(({ fileName }) => fileName);
}

/**
 * What a process loads, from its entry files through every relative import: the repository's files, and each package
 * it imports with the first file importing it. `types: false` follows only what survives the erasure of types
 * (valueImportsOf), as a bundle of the entries would hold.
 */
export function modulesReachedFrom(
  entries: readonly string[],
  { types = true }: { types?: boolean } = {},
): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const importsOfFile = types ? importsOf : (file: string) => valueImportsOf(readFileSync(file, 'utf8'));
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of importsOfFile(file)) {
      const target = resolveImport(file, specifier);
      if (target) visit(target);
      else if (!specifier.startsWith('.') && !specifier.startsWith('node:')) {
        const name = specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/');
        if (!packages.has(name)) packages.set(name, file);
      }
    }
  };
  for (const entry of entries) visit(entry);
  return { files, packages };
}
