import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@tsunagu/testing';

/** The repository root (this file runs from dist/bench/support). */
export const ROOT = join(__dirname, '..', '..', '..');

export { freePort } from '@tsunagu/common';
export { waitFor } from '@tsunagu/testing';

export interface BenchProcess {
  url: string;
  child: ChildProcess;
  pid: number;
  /** The last 64 KiB the process wrote (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a built entry point (relative to dist/) as a child process on 127.0.0.1 and waits for its
 * health endpoint. Only PATH is inherited: everything else the process sees is in `env`.
 */
export async function startProcess(entry: string, env: Record<string, string>, port: number, opts: { nodeArgs?: string[]; healthPath?: string; timeoutMs?: number } = {}): Promise<BenchProcess> {
  let output = '';
  const keep = (d: Buffer) => {
    output += d.toString();
    if (output.length > 65_536) output = output.slice(-65_536);
  };
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), join(ROOT, 'dist', entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}:\n${output}`))));
  exited.catch(() => undefined);
  await Promise.race([waitFor(`${url}${opts.healthPath ?? '/health'}`, opts.timeoutMs ?? 60_000), exited]);
  return {
    url, child, pid: child.pid!, output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([done, new Promise((r) => setTimeout(r, 5000).unref())]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Resident set size (VmRSS) and its high-water mark (VmHWM) of a process, in bytes. */
/** VmRSS and its peak; RssAnon is the process's own memory, RssFile the file pages it maps (the node binary, ICU data), shared by every Node process on the machine. */
export function readMemory(pid: number): { rss: number; hwm: number; anon: number; file: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM'), anon: kb('RssAnon'), file: kb('RssFile') };
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, in seconds. */
export function readCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** CPU time (seconds) used so far by each process whose command name is one of `commands`, by pid. */
export function snapshotCpuOf(commands: string[]): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!commands.includes(comm)) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byPid.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the process exited meanwhile
    }
  }
  return byPid;
}

/**
 * CPU seconds those processes used between two snapshots: the whole time of processes that started
 * in between, nothing for those that exited (their last moments are not seen).
 */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let seconds = 0;
  for (const [pid, cpu] of after) seconds += Math.max(0, cpu - (before.get(pid) ?? 0));
  return seconds;
}

/** Busy and total CPU time of the whole machine so far (all cores), in seconds. */
export function readMachineCpu(): { busy: number; total: number; cores: number } {
  const stat = readFileSync('/proc/stat', 'utf8');
  const values = stat.split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = values[3] + values[4]; // idle + iowait
  const cores = stat.split('\n').filter((l) => /^cpu\d+ /.test(l)).length;
  return { busy: (total - idle) / 100, total: total / 100, cores };
}

/** The 1-minute load average. */
export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** Samples a process's memory every `intervalMs` and keeps the peak. */
export class MemorySampler {
  peakRss = 0;
  /** RssAnon when VmRSS peaked. */
  anonAtPeak = 0;
  hwm = 0;
  private timer?: NodeJS.Timeout;
  constructor(private readonly pid: number, private readonly intervalMs = 100) {}
  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }
  sample(): void {
    const m = readMemory(this.pid);
    if (!m) return;
    if (m.rss > this.peakRss) {
      this.peakRss = m.rss;
      this.anonAtPeak = m.anon;
    }
    this.hwm = Math.max(this.hwm, m.hwm);
  }
  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}

/** PostgreSQL and Redis: every process of theirs counts (other users' queries too). */
export const STORE_PROCESSES = ['postgres', 'redis-server'];

export interface CpuShares {
  /** Share of one core, by name of the process under test. */
  servers: Record<string, number>;
  loadgen: number;
  stores: number;
  /** Everything else: processes not under test (idle connectors, say), other people's work, the kernel. */
  other: number;
  /** Busy share of the whole machine (all cores). */
  machine: number;
}

/** Starts measuring who uses the CPU; call the result to stop. */
export function cpuWindow(pids: Record<string, number>): () => CpuShares {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, readCpuSeconds(pid) ?? 0]));
  const self0 = process.cpuUsage();
  const machine0 = readMachineCpu();
  const stores0 = snapshotCpuOf(STORE_PROCESSES);
  const t0 = performance.now();
  return () => {
    const wall = (performance.now() - t0) / 1000;
    const machine1 = readMachineCpu();
    const self = process.cpuUsage(self0);
    const servers = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, ((readCpuSeconds(pid) ?? 0) - before[k]) / wall]));
    const loadgen = (self.user + self.system) / 1e6 / wall;
    const stores = cpuBetween(stores0, snapshotCpuOf(STORE_PROCESSES)) / wall;
    const busy = (machine1.busy - machine0.busy) / wall;
    const serverSum = Object.values(servers).reduce((a, b) => a + b, 0);
    return { servers, loadgen, stores, other: Math.max(0, busy - serverSum - loadgen - stores), machine: (machine1.busy - machine0.busy) / (machine1.total - machine0.total) };
  };
}

/** Watches the machine for a second before a run: the lines to print (a warning when other work is running). */
export async function machineBeforeRun(): Promise<string[]> {
  const before = readMachineCpu();
  await new Promise((r) => setTimeout(r, 1000));
  const after = readMachineCpu();
  const background = (after.busy - before.busy) / (after.total - before.total);
  const lines = [`Machine: ${after.cores} cores, ${(background * 100).toFixed(0)} % busy just before the run, load average ${loadAverage().toFixed(2)}`];
  if (background > 0.1) lines.push('WARNING: other work is running on this machine; figures will be lower and noisier than on a quiet one.');
  return lines;
}
