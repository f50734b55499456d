import { addDaysIso } from '../ui/format';

export interface TemplatePhaseDef {
  name: string;
  offsetDays: number;
  durationDays: number;
}

export interface LaidOutPhase {
  name: string;
  start: string;
  end: string;
}

/**
 * The phases of a template dated from `start` (YYYY-MM-DD), as the server lays them out
 * without blackouts: a phase runs from start + offset for `durationDays` days, inclusive.
 * The go-live is the last phase's last day. (A preview; the server decides, and may move
 * phases past blackouts when asked.)
 */
export function layOutTemplate(phases: readonly TemplatePhaseDef[], start: string): { phases: LaidOutPhase[]; goLive: string | null } {
  const out = phases.map((p) => {
    const from = addDaysIso(start, p.offsetDays);
    return { name: p.name, start: from, end: addDaysIso(from, Math.max(1, p.durationDays) - 1) };
  });
  const goLive = out.reduce<string | null>((max, p) => (max === null || p.end > max ? p.end : max), null);
  return { phases: out, goLive };
}
