// The one way to get a call side, for the TUI and the headless commands alike, on every wire.
import type { Logger } from '../shared/log.js';
import type { CallContext, CallSide } from './call-side.js';
import { Calls } from './calls.js';
import { recordStats } from './stats-file.js';
import { TutorialCalls } from './tutorial-calls.js';

/** A call side for ctx's wire (termcall, or a tutorial program's), recording --stats-file when asked. */
export function createCallSide(ctx: CallContext, log: Logger): CallSide {
  const side: CallSide = ctx.tutorial ? new TutorialCalls(ctx, log) : new Calls(ctx, log);
  if (ctx.statsFile) recordStats(side, ctx.statsFile);
  return side;
}
