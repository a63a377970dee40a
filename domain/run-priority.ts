/**
 * Temporal task priority of a run's workflow; its activities inherit it. Lower keys go first (1-5,
 * default 3). The fairness key is the district, so one district's backlog cannot hold back another's.
 */
export interface RunPriority {
  priorityKey: number;
  fairnessKey: string;
}

export const HIGH_PRIORITY_KEY = 1;
export const NORMAL_PRIORITY_KEY = 3;

export function runPriority(districtId: string, highPriority = false): RunPriority {
  return { priorityKey: highPriority ? HIGH_PRIORITY_KEY : NORMAL_PRIORITY_KEY, fairnessKey: districtId };
}
