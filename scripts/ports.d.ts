export function freePort(options?: { max?: number }): Promise<number>;
export function portIsOpen(port: number, host?: string): Promise<boolean>;
export function listensOn(pid: number | undefined, port: number): Promise<boolean>;
export class PortTaken extends Error {}
export function saysPortTaken(line: string): boolean;
export function startOnFreePorts<T>(count: number, start: (ports: number[]) => Promise<T>): Promise<T>;
