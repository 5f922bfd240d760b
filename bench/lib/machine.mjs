/** The machine line: CPU, cores, RAM, Node, OpenSSL, OS, Chromium, date. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function osName() {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (pretty) return `${pretty[1]} (${os.type()} ${os.release()})`;
  } catch {
    // not Linux
  }
  return `${os.type()} ${os.release()}`;
}

export function chromiumVersion() {
  try {
    const out = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /([\d.]+)/.exec(out)?.[1] ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

export function machineLine() {
  const cpus = os.cpus();
  const model = (cpus[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim();
  const ram = `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM`;
  const date = new Date().toISOString().slice(0, 10);
  return `${model}, ${cpus.length} cores, ${ram}, Node ${process.versions.node} (OpenSSL ${process.versions.openssl}), ${osName()}, Chromium ${chromiumVersion()}, ${date}`;
}
