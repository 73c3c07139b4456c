import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, heapGrowingFlag } from '../src/heap.js';

describe('heapGrowingFlag', () => {
  it('bounds the heap growth of a process started without a setting of its own', () => {
    expect(heapGrowingFlag([], undefined)).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    expect(heapGrowingFlag(['--enable-source-maps'], '--max-old-space-size=512')).toBe('--heap-growing-percent=200');
  });

  it('leaves alone a setting given on the command line or in NODE_OPTIONS, in either spelling', () => {
    expect(heapGrowingFlag(['--heap-growing-percent=50'], undefined)).toBeNull();
    expect(heapGrowingFlag([], '--max-old-space-size=512 --heap_growing_percent=300')).toBeNull();
  });

  it('is a flag this Node accepts at run time (a misspelt one would be ignored without a word)', () => {
    // V8 lists its flags with --help; an unknown one would silently do nothing.
    const help = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    expect(help).toMatch(/--heap-growing-percent \(specifies heap growing factor/);
  });
});
