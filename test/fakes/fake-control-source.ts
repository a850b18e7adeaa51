/** Operator controls in memory; `onRead` lets a test change them between two reads. */
import type { ControlSource } from '../../functions/core/ports';
import type { Controls } from '../../functions/core/types';

export class FakeControlSource implements ControlSource {
  reads = 0;
  /** Runs before each read returns, with the number of that read (1 for the first). */
  onRead: (read: number) => void = () => undefined;

  constructor(public controls: Controls = { writesPaused: false, holds: [] }) {}

  async read(): Promise<Controls> {
    this.reads += 1;
    this.onRead(this.reads);
    return this.controls;
  }
}
