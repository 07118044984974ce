import { readFileSync } from 'node:fs';

/** Reads and parses a JSON file; `fail` turns what went wrong into the caller's error. Not for workflow code. */
export function readJsonFile(file: string, fail: (detail: string) => Error): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw fail(`cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw fail(`expected JSON: ${(error as Error).message}`);
  }
}
