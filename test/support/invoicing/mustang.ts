import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mustangJar, peppolRulesJar } from '../../../scripts/mustang';

export interface Verdict {
  name: string;
  valid: boolean;
  /** The validators' reports, kept for the failure message: they name each rule broken. */
  report: string;
}

const TOOLS = path.join(__dirname, '..', '..', '..', 'tools', 'mustang');

/** `java -cp <jars> <tool>.java FILE...`: each file's verdict after a "=== FILE VALID|INVALID" line. */
async function runValidator(
  classpath: string[],
  tool: string,
  paths: readonly string[],
): Promise<Map<string, { valid: boolean; report: string }>> {
  const stdout = await new Promise<string>((resolve, reject) =>
    // Exit 1 means "some file is invalid": the verdicts say which; anything else is a failure to run.
    execFile(
      'java',
      ['-cp', classpath.join(path.delimiter), path.join(TOOLS, tool), ...paths],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, out, err) =>
        error && error.code !== 1 ? reject(new Error(`${tool} failed to run: ${error.message}\n${err}`)) : resolve(out),
    ),
  );
  const verdicts = new Map<string, { valid: boolean; report: string }>();
  for (const file of paths) {
    const marker = `=== ${file} `;
    const start = stdout.indexOf(marker);
    const end = stdout.indexOf('\n=== ', start + marker.length);
    const section = start < 0 ? '' : stdout.slice(start, end < 0 ? undefined : end);
    verdicts.set(file, { valid: section.startsWith(`${marker}VALID`), report: section });
  }
  return verdicts;
}

/**
 * Every file through the Mustang validator (tools/mustang/Validate.java: Factur-X with PDF/A-3, EN 16931 UBL and CII),
 * and every .xml also through the Peppol BIS Billing 3.0 rules (tools/mustang/PeppolValidate.java); one JVM each.
 * The jars are fetched by scripts/bootstrap.js. A .xml is read as UBL, a .pdf as Factur-X.
 */
export async function validateEInvoices(files: ReadonlyArray<{ name: string; body: Buffer }>): Promise<Verdict[]> {
  for (const jar of [mustangJar(), peppolRulesJar()])
    if (!existsSync(jar)) throw new Error(`the e-invoice validator ${jar} is missing: run node scripts/bootstrap.js`);
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-validate-'));
  try {
    const paths = files.map(({ name, body }) => {
      const file = path.join(dir, name);
      writeFileSync(file, body);
      return file;
    });
    const mustang = await runValidator([mustangJar()], 'Validate.java', paths);
    const ubl = paths.filter((file) => file.endsWith('.xml'));
    const peppol =
      ubl.length > 0 ? await runValidator([mustangJar(), peppolRulesJar()], 'PeppolValidate.java', ubl) : new Map();
    return files.map(({ name }, index) => {
      const verdicts = [
        mustang.get(paths[index]!)!,
        ...(peppol.has(paths[index]!) ? [peppol.get(paths[index]!)!] : []),
      ];
      return {
        name,
        valid: verdicts.every(({ valid }) => valid),
        report: verdicts.map(({ report }) => report).join('\n'),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The rules a report says were broken, one line each, for a readable failure. */
export const brokenRules = (report: string): string[] =>
  [...report.matchAll(/<error[^>]*>([^<]*)<\/error>|status=failed, message=([^,]*)/g)].map((match) =>
    (match[1] ?? match[2] ?? '').trim(),
  );
