/**
 * runtime/heap-mode.ts: a long-running process turns V8's memory-saving mode on at run time and it
 * takes effect (the young generation stays a few MB under a churn that grows the default one to tens
 * of MB). Each case runs in a child process of its own (the flag is process-wide), through tsx.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const probe = (mode: 'small' | 'default'): { on: boolean; again: boolean; youngBytes: number } =>
  JSON.parse(execFileSync(join(root, 'node_modules/.bin/tsx'), [join(import.meta.dirname, 'heap-mode-probe.mts'), mode], { cwd: root, encoding: 'utf8' }).trim());

const MB = 1024 * 1024;

describe('preferSmallHeap', () => {
  it('keeps the young generation small under churn; V8 defaults let it grow', () => {
    const small = probe('small');
    const dflt = probe('default');
    expect(small.on).toBe(true);
    expect(small.again).toBe(true); // idempotent
    expect(small.youngBytes).toBeLessThan(16 * MB);
    expect(dflt.youngBytes).toBeGreaterThan(16 * MB);
  });
});
