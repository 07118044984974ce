export const MUSTANG_VERSION: string;
export const PEPPOL_RULES_VERSION: string;
export function mustangJar(): string;
export function peppolRulesJar(): string;
export function ensureMustangValidator(tools: {
  log: (message: string) => void;
  run: (command: string, args: string[], options?: object) => void;
}): void;
