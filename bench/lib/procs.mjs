// @ts-nocheck — plain Node scripts; the shapes are documented where they are made.
/**
 * The bench's processes: servers pinned to one core and the load generator (bench/load.mjs) to
 * the other when `taskset` is there, with the server's peak RSS and CPU time read from /proc.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const canPin = cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
export const SERVER_CORE = '0';
const LOAD_CORE = '1';

export function pinned(core, command, commandArgs) {
  return canPin ? ['taskset', ['-c', core, command, ...commandArgs]] : [command, commandArgs];
}

function procStatus(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** Resets VmHWM (the peak RSS) so the next reading covers only what follows. */
function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Peak RSS: VmHWM after a reset when the kernel allows it, else the largest VmRSS seen by polling. */
function peakTracker(pid) {
  let polled = 0;
  const poll = () => {
    polled = Math.max(polled, procStatus(pid, 'VmRSS') ?? 0);
  };
  const timer = setInterval(poll, 100);
  let hwm = resetPeak(pid);
  return {
    restart() {
      polled = 0;
      hwm = resetPeak(pid);
      poll();
    },
    stop() {
      clearInterval(timer);
      poll();
      return hwm ? Math.max(procStatus(pid, 'VmHWM') ?? 0, polled) : polled;
    },
  };
}

/** Spawns a server pinned to its core and resolves once it printed the URL it listens on. */
export function startServer(script) {
  const [command, commandArgs] = pinned(SERVER_CORE, process.execPath, script);
  const child = spawn(command, commandArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server ${script[0]} did not start within 15 s:\n${out}`));
    }, 15_000);
    const onData = (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.resume(); // keep draining whatever the server logs
        resolve({ child, url: m[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server ${script[0]} exited with ${code} before listening:\n${out}`));
    });
  });
}

export function stopServer(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs one load job in its own pinned process; tracks the server's peak RSS and CPU over the measured part. */
export function load(server, job) {
  const [command, commandArgs] = pinned(LOAD_CORE, process.execPath, ['bench/load.mjs', JSON.stringify({ url: server.url, ...job })]);
  const child = spawn(command, commandArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = server.child.pid;
  const peak = peakTracker(pid);
  let cpuStart = cpuSeconds(pid);
  let wallStart = performance.now();
  const limit = ((job.duration ?? 0) + (job.warmup ?? 0) + (job.maxSeconds ?? 0) + 120) * 1000;
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    let result = null;
    const timer = setTimeout(() => child.kill('SIGKILL'), limit);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      let nl = out.indexOf('\n');
      while (nl >= 0) {
        const line = JSON.parse(out.slice(0, nl));
        out = out.slice(nl + 1);
        if (line.phase === 'measure') {
          peak.restart();
          cpuStart = cpuSeconds(pid);
          wallStart = performance.now();
        } else result = line;
        nl = out.indexOf('\n');
      }
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const wall = (performance.now() - wallStart) / 1000;
      const cpu = (cpuSeconds(pid) ?? 0) - (cpuStart ?? 0);
      const rss = peak.stop();
      if (code !== 0 || !result) {
        reject(new Error(`load ${job.workload} failed (exit ${code}): ${err}`));
        return;
      }
      resolve({
        ...result,
        rssMb: Math.round((rss / 1048576) * 10) / 10,
        // Over the time the load ran (a fixed-amount run may idle a moment before it ends).
        cpu: Math.round(Math.min(1, cpu / (result.seconds || wall)) * 100) / 100,
        cpuUsPerRequest: result.requests > 0 ? Math.round((cpu * 1e6) / result.requests) : null,
      });
    });
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
