/**
 * The baseline of bench/notice-lateness.bench.ts: the least a Temporal workflow does to mail a notice at an instant,
 * one timer to the instant and one activity that hands one mail to the SMTP server, with nothing of Vigil's between
 * them (no clocks, no read model, no outbox).
 */
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { BareNoticeActivities } from './bare-worker';

const { sendBareNotice } = proxyActivities<BareNoticeActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Sleeps until `at` (epoch ms), then sends one mail naming `id` and `at`. */
export async function bareNotice(id: string, at: number): Promise<void> {
  const left = at - Date.now();
  if (left > 0) await sleep(left);
  await sendBareNotice(id, at);
}
