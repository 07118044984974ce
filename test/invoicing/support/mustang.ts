import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mustangJar } from '../../../scripts/mustang';

export interface Verdict {
  name: string;
  valid: boolean;
  /** Mustang's report (XML), kept for the failure message: it names each rule broken. */
  report: string;
}

const VALIDATE = path.join(__dirname, '..', '..', '..', 'tools', 'mustang', 'Validate.java');

/**
 * Every file through the Mustang validator in one JVM (tools/mustang/Validate.java); the jar is fetched by
 * scripts/bootstrap.js. Files are named by their extension: .xml is read as an e-invoice XML, .pdf as Factur-X.
 */
export async function validateEInvoices(files: ReadonlyArray<{ name: string; body: Buffer }>): Promise<Verdict[]> {
  const jar = mustangJar();
  if (!existsSync(jar)) throw new Error(`the Mustang validator is not at ${jar}: run node scripts/bootstrap.js`);
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-mustang-'));
  try {
    const paths = files.map(({ name, body }) => {
      const file = path.join(dir, name);
      writeFileSync(file, body);
      return file;
    });
    const stdout = await new Promise<string>((resolve, reject) =>
      // Exit 1 means "some file is invalid": the verdicts below say which; anything else is a failure to run.
      execFile('java', ['-cp', jar, VALIDATE, ...paths], { maxBuffer: 64 * 1024 * 1024 }, (error, out, err) =>
        error && error.code !== 1 ? reject(new Error(`Mustang validator failed to run: ${error.message}\n${err}`)) : resolve(out),
      ),
    );
    return files.map(({ name }, index) => {
      const marker = `=== ${paths[index]} `;
      const start = stdout.indexOf(marker);
      const end = stdout.indexOf('\n=== ', start + marker.length);
      const section = start < 0 ? '' : stdout.slice(start, end < 0 ? undefined : end);
      return { name, valid: section.startsWith(`${marker}VALID`), report: section };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The rules a report says were broken, one line each, for a readable failure. */
export const brokenRules = (report: string): string[] => [...report.matchAll(/<error[^>]*>([^<]*)<\/error>|status=failed, message=([^,]*)/g)].map((match) => (match[1] ?? match[2] ?? '').trim());
