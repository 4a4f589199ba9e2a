// Shared bench plumbing: child processes, autocannon runs, ratios.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Spawns a node script and resolves with the first JSON line it prints. */
export function spawnJson(script, env, args = []) {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, info: JSON.parse(line) }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** Starts the built API (dist/) and waits for /health/ready. */
export async function startApi(env, port) {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, LOG_LEVEL: 'error', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const started = Date.now();
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - started > 60_000) throw new Error('API did not become ready in 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, startSeconds: (Date.now() - started) / 1000 };
}

export function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/** One autocannon run: returns req/s (mean), p99 latency in ms, errors and non-2xx counts. */
export async function load({ url, method = 'GET', headers = {}, body, duration, connections = 20, requests }) {
  const result = await autocannon({
    url,
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    duration,
    connections,
    requests,
  });
  return {
    rps: Math.round(result.requests.average),
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export const ratio = (a, b) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);
