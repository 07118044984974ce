export function freePort(options?: { max?: number }): Promise<number>;
export function portIsOpen(port: number, host?: string): Promise<boolean>;
