/**
 * The process's own peak resident memory. `process.resourceUsage().maxRSS` is not that on Linux: a process
 * started by fork and exec keeps, as its starting maximum, the resident size of the process that forked
 * it (a 300 MB test runner or server spawning kotovec passes its size on). The kernel's high-water mark of
 * the process's own memory (`VmHWM` in /proc/self/status) starts afresh at exec; where it cannot be read,
 * maxRSS is the answer.
 */
import { readFileSync } from 'node:fs';

/** Peak resident memory of this process, in MB. */
export function peakResidentMB(): number {
  try {
    const match = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'latin1'));
    if (match) return Math.round(Number(match[1]) / 1024);
  } catch {
    // not Linux, or /proc not mounted
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
