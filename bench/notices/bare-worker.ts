/**
 * The baseline's worker, a process of its own as Vigil's is: the bare workflow (bench/notices/bare-workflow.ts) and
 * its one activity, which sends the mail through a nodemailer pool to SMTP_URL, as plainly as a workflow would.
 */
import { createTransport } from 'nodemailer';
import { runBareWorkerAsMain } from '../bare-worker-process';

export const BARE_NOTICE_TASK_QUEUE = 'bench-bare-notices';
/** The header that names a bare notice at the receiver: `<id> <at>`. */
export const BARE_NOTICE_HEADER = 'X-Bench-Bare-Notice';

export function createBareNoticeActivities(smtpUrl: string) {
  const transport = createTransport({ url: smtpUrl, pool: true });
  return {
    async sendBareNotice(id: string, at: number): Promise<void> {
      await transport.sendMail({
        from: 'Bare bench <bare@bench.test>',
        to: 'desk@bench.test',
        subject: `Deadline ${new Date(at).toISOString()} reached (${id})`,
        text: 'A bare Temporal timer fired.',
        headers: { [BARE_NOTICE_HEADER]: `${id} ${at}` },
      });
    },
  };
}

export type BareNoticeActivities = ReturnType<typeof createBareNoticeActivities>;

runBareWorkerAsMain(module, () => {
  const smtpUrl = process.env.SMTP_URL;
  if (!smtpUrl) throw new Error('SMTP_URL is not set');
  return {
    taskQueue: BARE_NOTICE_TASK_QUEUE,
    workflowsPath: require.resolve('./bare-workflow'),
    activities: createBareNoticeActivities(smtpUrl),
  };
});
