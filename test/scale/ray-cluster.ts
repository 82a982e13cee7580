import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
};

/**
 * Takes a machine-wide lock for running a local Ray cluster; resolves to its release. Two `ray.init()` clusters
 * started at once on 2 cores time out starting ("The current node timed out during startup"), so test runs that
 * share the machine take turns.
 */
async function rayLock(): Promise<() => void> {
  const lock = join(tmpdir(), 'form-studio-test-ray.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = 0;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // Just taken: its pid is not written yet.
      }
      if (holder && !alive(holder))
        rmSync(lock, { recursive: true, force: true }); // left by a killed run
      else await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

export interface RayCluster {
  /** The GCS address that deploy/'s scripts take as --address. */
  address: string;
  /** Stops the cluster (and releases the lock). */
  stop(): Promise<void>;
}

/**
 * One local Ray cluster with `cpus` CPUs (test/scale/py/ray_head.py: `ray.init()` in a process that lives until
 * its stdin closes), for the tests that run deploy/'s Ray scripts against it with --address. Starting one is
 * ≈7 s on a quiet 2-core machine and ≈50 s under load, so the tests share it.
 */
export async function startRayCluster(python: string, cpus: number): Promise<RayCluster> {
  const release = await rayLock();
  const head = spawn(python, [resolve('test/scale/py/ray_head.py'), String(cpus)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, RAY_DEDUP_LOGS: '0' },
  });
  const exited = new Promise<void>((r) => head.once('exit', () => r()));
  let out = '';
  let err = '';
  head.stderr.on('data', (d: Buffer) => (err += d.toString()));
  try {
    const address = await new Promise<string>((ok, fail) => {
      head.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) ok((JSON.parse(line) as { address: string }).address);
      });
      head.once('exit', (code) => fail(new Error(`the Ray head exited with ${code}:\n${err.slice(-3000)}`)));
    });
    return {
      address,
      async stop() {
        head.stdin.end(); // ray_head.py shuts the cluster down and exits
        await exited;
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}
