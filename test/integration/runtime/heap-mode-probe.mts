/**
 * Child process of heap-mode.test.ts: with argv[2] === 'small' it turns V8's memory-saving mode on
 * (runtime/heap-mode.ts), then allocates short-lived objects (~3 million) as a busy answer run does,
 * and prints one JSON line: the young generation's committed bytes and whether the mode is on.
 */
import v8 from 'node:v8';
import { preferSmallHeap } from '../../../src/main/runtime/heap-mode';

const on = process.argv[2] === 'small' ? preferSmallHeap() : false;
let keep: unknown[] = [];
for (let i = 0; i < 3_000_000; i++) {
  keep.push({ i, s: `x${i}` });
  if (keep.length > 20_000) keep = [];
}
const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!;
console.log(JSON.stringify({ on, again: on ? preferSmallHeap() : false, youngBytes: young.physical_space_size, kept: keep.length }));
