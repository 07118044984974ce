import type { ToolPaths } from './tool-paths';

export type TemporalChoice = 'dev' | 'full';
export const TEMPORAL_CHOICES: readonly TemporalChoice[];
export function temporalChoice(argv?: readonly string[], env?: NodeJS.ProcessEnv): TemporalChoice;
export function ensureTemporalServer(paths?: ToolPaths): void;
