import { Injectable } from '@nestjs/common';

/**
 * Where time comes from. Inject `Clock` instead of calling `new Date()` in rules and jobs, so
 * tests move time (`app.get(Clock).set(...)`) instead of sleeping.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;
  private frozen: number | null = null;

  now(): Date {
    return new Date(this.frozen ?? Date.now() + this.offsetMs);
  }

  /** Tests: jump to a fixed instant (time stands still until `resume`). */
  set(instant: Date | string): void {
    this.frozen = new Date(instant).getTime();
  }

  /** Tests: move forward by `ms` (keeps frozen time frozen). */
  advance(ms: number): void {
    if (this.frozen !== null) this.frozen += ms;
    else this.offsetMs += ms;
  }

  /** Tests: back to real time. */
  resume(): void {
    this.frozen = null;
    this.offsetMs = 0;
  }
}
