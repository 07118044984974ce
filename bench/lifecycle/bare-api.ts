/**
 * The baseline's HTTP edge: Fastify calling Temporal as Vigil's API does, without authentication, schemas, the
 * read model or problem documents, so that the latency ratio measures what Vigil adds to a bare Update.
 */
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import Fastify from 'fastify';
import { BARE_TASK_QUEUE } from './bare-worker';
import {
  bareLogTime,
  bareProposeResolution,
  bareRegistered,
  bareState,
  bareTakeCharge,
  bareTicket,
  bareValidate,
} from './bare-workflow';

async function main(): Promise<void> {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const temporal = new Client({ connection });
  const app = Fastify();
  const handle = (id: string) => temporal.workflow.getHandle(id);

  app.post<{ Params: { id: string } }>('/bare/:id', async (request, reply) => {
    // Started and answered in one round trip once it runs, as POST /v1/tickets answers the registered ticket.
    const startWorkflowOperation = new WithStartWorkflowOperation(bareTicket, {
      workflowId: request.params.id,
      taskQueue: BARE_TASK_QUEUE,
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    return reply
      .status(201)
      .send(await temporal.workflow.executeUpdateWithStart(bareRegistered, { startWorkflowOperation }));
  });
  app.get<{ Params: { id: string } }>('/bare/:id', async (request) => handle(request.params.id).query(bareState));
  app.post<{ Params: { id: string } }>('/bare/:id/take-charge', async (request) =>
    handle(request.params.id).executeUpdate(bareTakeCharge, { args: ['marc'] }),
  );
  app.post<{ Params: { id: string } }>('/bare/:id/time-entries', async (request) =>
    handle(request.params.id).executeUpdate(bareLogTime, { args: [60] }),
  );
  app.post<{ Params: { id: string } }>('/bare/:id/propose-resolution', async (request) =>
    handle(request.params.id).executeUpdate(bareProposeResolution),
  );
  app.post<{ Params: { id: string } }>('/bare/:id/validate', async (request) =>
    handle(request.params.id).executeUpdate(bareValidate),
  );

  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
