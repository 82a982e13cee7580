/**
 * Run a command and add up the CPU time of its whole process tree (Chromium's renderers, GPU process and
 * ffmpeg runs included), by polling /proc every 50 ms: on a shared 2-core machine a run's CPU seconds vary
 * far less with the load than its wall time. Linux only (`cpuSeconds` is null elsewhere); a process that
 * lives less than one poll may be missed, so the figure is a slight undercount.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export interface TreeRun {
  ms: number;
  code: number | null;
  out: string;
  err: string;
  cpuSeconds: number | null;
  /** CPU seconds by process name (node, chromium, ffmpeg…). */
  byName: Record<string, number> | null;
}

const TICKS = 100; // USER_HZ on Linux

function stat(pid: string): { ppid: number; cpu: number; name: string } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(f[1]),
      cpu: (Number(f[11]) + Number(f[12])) / TICKS,
      name: s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')),
    };
  } catch {
    return null; // gone
  }
}

export function runTree(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 900_000): Promise<TreeRun> {
  const t0 = performance.now();
  const child = spawn(cmd, args, { env });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const linux = process.platform === 'linux';
  const tree = new Set<number>([child.pid!]);
  const last = new Map<number, { cpu: number; name: string }>();
  const poll = () => {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      const pid = Number(d);
      const s = stat(d);
      if (!s || !(tree.has(pid) || tree.has(s.ppid))) continue;
      tree.add(pid);
      last.set(pid, { cpu: s.cpu, name: last.get(pid)?.name ?? s.name }); // the name before an exec
    }
  };
  const timer = linux ? setInterval(poll, 50) : null;
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      if (timer) clearInterval(timer);
      clearTimeout(killer);
      let byName: Record<string, number> | null = null;
      if (linux) {
        byName = {};
        for (const { cpu, name } of last.values()) byName[name] = Math.round(((byName[name] ?? 0) + cpu) * 100) / 100;
      }
      const cpuSeconds = byName ? Math.round(Object.values(byName).reduce((a, b) => a + b, 0) * 100) / 100 : null;
      resolve({ ms: performance.now() - t0, code, out, err, cpuSeconds, byName });
    });
  });
}
