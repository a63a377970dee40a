import { cpus, totalmem } from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
}

export function describeMachine(): Machine {
  const all = cpus();
  return { cpus: all.length, cpuModel: all[0]?.model ?? 'unknown', memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10, node: process.version };
}
