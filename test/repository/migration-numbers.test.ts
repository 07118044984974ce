import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

// db/migrate.ts applies the files in name order and records each by its file name, so two files with one number run
// in an order their numbers do not say. The pairs below were landed that way and databases have applied them under
// these names: renaming one would apply it a second time. They stay; any other number used twice fails here.
const MIGRATIONS_DIR = resolve(__dirname, '../../db/migrations');
const KNOWN_DUPLICATES: Readonly<Record<string, readonly string[]>> = {
  '0024': ['0024_customer_time_zone.sql', '0024_line_labels.sql'],
  '0028': ['0028_idempotent_creations.sql', '0028_sla_report.sql'],
  '0029': ['0029_contact_removed.sql', '0029_sla_report_awaiting_total.sql'],
};
const MIGRATION_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** The migration files by their number, each list sorted as db/migrate.ts sorts them. */
function filesByNumber(names: readonly string[]): Map<string, string[]> {
  const byNumber = new Map<string, string[]>();
  for (const name of [...names].sort()) {
    const number = MIGRATION_NAME.exec(name)?.[1];
    if (number) byNumber.set(number, [...(byNumber.get(number) ?? []), name]);
  }
  return byNumber;
}

/** The numbers used by more than one file, other than the known pairs exactly as they are. */
function newDuplicates(names: readonly string[]): string[] {
  return [...filesByNumber(names)]
    .filter(([number, files]) => files.length > 1 && files.join() !== KNOWN_DUPLICATES[number]?.join())
    .map(([number, files]) => `${number}: ${files.join(', ')}`);
}

describe('migration numbers', () => {
  const names = readdirSync(MIGRATIONS_DIR).filter((name) => name.endsWith('.sql'));

  it('names every migration NNNN_words.sql', () => {
    expect(names.length).toBeGreaterThan(25);
    expect(names.filter((name) => !MIGRATION_NAME.test(name))).toEqual([]);
  });

  it('uses no number twice but the pairs databases have already applied', () => {
    expect(newDuplicates(names)).toEqual([]);
  });

  it('still has each known pair under its names', () => {
    // A pair renamed would be applied again by every database that recorded the old names.
    for (const files of Object.values(KNOWN_DUPLICATES)) expect(names).toEqual(expect.arrayContaining([...files]));
  });

  it('refuses a new duplicate, a third file on a known number, and a known pair renamed', () => {
    const known = Object.values(KNOWN_DUPLICATES).flat();
    expect(newDuplicates([...known, '0030_a.sql', '0030_b.sql'])).toEqual(['0030: 0030_a.sql, 0030_b.sql']);
    expect(newDuplicates([...known, '0028_more.sql'])).toEqual([
      '0028: 0028_idempotent_creations.sql, 0028_more.sql, 0028_sla_report.sql',
    ]);
    expect(newDuplicates(['0029_contact_removed.sql', '0029_other.sql'])).toEqual([
      '0029: 0029_contact_removed.sql, 0029_other.sql',
    ]);
    expect(newDuplicates([...known, '0030_a.sql', '0031_b.sql'])).toEqual([]);
  });
});
