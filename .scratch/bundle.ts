import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_OPTIONS } from '../worker/workflow-code';
async function main() {
  const t0 = Date.now(); const cpu0 = process.cpuUsage();
  const b = await bundleWorkflowCode({ ...WORKFLOW_BUNDLE_OPTIONS, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } });
  const cpu = process.cpuUsage(cpu0);
  console.log('bundle ms', Date.now() - t0, 'cpu ms', (cpu.user + cpu.system) / 1000, 'size', b.code.length, 'rss MB', process.memoryUsage().rss >> 20);
}
main();
