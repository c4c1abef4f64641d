import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { allowedCpus, pinProcess } from '../../../src/engine/nn/affinity.ts';

const statusList = () => /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1];

test('allowedCpus reads this process\'s CPUs; pinProcess narrows every thread to one and restores them', () => {
  if (process.platform !== 'linux') {
    assert.equal(allowedCpus(), undefined);
    return;
  }
  const cpus = allowedCpus()!;
  assert.ok(cpus.length >= 1 && cpus.every((c) => Number.isInteger(c) && c >= 0), String(cpus));
  let hasTaskset = true;
  try { execFileSync('taskset', ['-V'], { stdio: 'ignore' }); } catch { hasTaskset = false; }
  assert.equal(pinProcess([cpus[0]]), hasTaskset);
  if (!hasTaskset) return;
  try {
    assert.equal(statusList(), String(cpus[0]));
    assert.deepEqual(allowedCpus(), [cpus[0]]);
  } finally {
    assert.ok(pinProcess(cpus));
  }
  assert.deepEqual(allowedCpus(), cpus);
});
