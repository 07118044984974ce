import type { Client } from '@temporalio/client';

/** Which workflow a run belongs to, from visibility (a run ID is unique across workflows). */
export async function workflowIdOfRun(client: Client, runId: string): Promise<string | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(runId)) return undefined;
  for await (const execution of client.workflow.list({ query: `RunId = '${runId}'`, pageSize: 1 }))
    return execution.workflowId;
  return undefined;
}
