/**
 * `Feed<T>`: events of a call that expectations consume in order (the bot's Signals to the
 * emulated API, the digits received). Each `expect_*` step takes the next unconsumed item, so two
 * `expect_signal` steps expect two Signals, and an item that arrived before its step still counts.
 */
import { EventEmitter } from 'node:events';

/** Ordered items with a read cursor (see the file comment). */
export class Feed<T> {
  private readonly items: T[] = [];
  private cursor = 0;
  private closed = false;
  private readonly ee = new EventEmitter<{ change: [] }>();

  /** Every item so far, consumed or not. */
  get all(): readonly T[] {
    return this.items;
  }

  /** Items not yet consumed. */
  get pending(): readonly T[] {
    return this.items.slice(this.cursor);
  }

  /** Adds an item (ignored once closed). */
  push(item: T): void {
    if (this.closed) return;
    this.items.push(item);
    this.ee.emit('change');
  }

  /** No more items will come (the call and its script are over): waits end at once. */
  close(): void {
    this.closed = true;
    this.ee.emit('change');
  }

  /** Marks the next item consumed. */
  consume(): void {
    if (this.cursor < this.items.length) this.cursor++;
  }

  /**
   * Waits for the next unconsumed item (without consuming it).
   * @returns the item, or null when `withinMs` ran out, the feed closed, or `abort` fired first.
   */
  next(withinMs: number, abort?: AbortSignal): Promise<T | null> {
    if (this.cursor < this.items.length) return Promise.resolve(this.items[this.cursor]!);
    if (this.closed || abort?.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const done = (v: T | null): void => {
        clearTimeout(timer);
        this.ee.off('change', onChange);
        abort?.removeEventListener('abort', onAbort);
        resolve(v);
      };
      const onChange = (): void => {
        if (this.cursor < this.items.length) done(this.items[this.cursor]!);
        else if (this.closed) done(null);
      };
      const onAbort = (): void => done(null);
      const timer = setTimeout(() => done(null), Math.max(0, withinMs));
      this.ee.on('change', onChange);
      abort?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
