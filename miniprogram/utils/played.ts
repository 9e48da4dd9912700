/** `[startSec, endSec]` of the media. */
export type PlayedRange = [number, number];

/**
 * The ranges of a lesson's media actually played, from the player's `timeupdate` events (about four a
 * second). A jump (the learner seeking, or the player skipping) ends a range and starts another where
 * playing goes on, so a seek never counts the part jumped over.
 */
export class PlayedRanges {
  private start: number | undefined;
  private last: number | undefined;
  private done: PlayedRange[] = [];

  /** `maxStepSec`: the largest gap between two updates that still counts as playing on (2x speed, missed events). */
  constructor(private readonly maxStepSec = 3) {}

  /** The player reports playing at `timeSec`. */
  at(timeSec: number) {
    if (this.last !== undefined && timeSec >= this.last && timeSec - this.last <= this.maxStepSec) {
      this.last = timeSec;
      return;
    }
    this.stop();
    this.start = timeSec;
    this.last = timeSec;
  }

  /** Playing stopped (pause, end): the current range ends where it got. */
  stop() {
    if (this.start !== undefined && this.last! > this.start) this.done.push([this.start, this.last!]);
    this.start = undefined;
    this.last = undefined;
  }

  /** What was played since the last call, the current range included (which goes on from where it got). */
  take(): PlayedRange[] {
    const taken = this.done;
    this.done = [];
    if (this.start !== undefined && this.last! > this.start) {
      taken.push([this.start, this.last!]);
      this.start = this.last;
    }
    return taken;
  }
}
