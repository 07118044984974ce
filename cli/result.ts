/**
 * What one vigil command leaves behind: its exit code and its two streams. A leaf module, so that cli/run.ts (which
 * dispatches to cli/admin.ts, cli/admin-users.ts and cli/invoices.ts) and those commands do not import each other.
 */
export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}
