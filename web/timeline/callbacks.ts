// callbacks.ts: callbacks as markers, each closing one joined to the one it undoes: pre_patch
// with post_unpatch, post_patch with pre_unpatch (the event names the callback it pairs with).
// A pair is per patch and per object (mainline) or per state (proposed): the same callback of
// another object is another pair. An opener still unmatched when the stream ends stays open.
import type { EngineEvent } from "../../engine/events.ts";
import type { CallbackMark, CallbackPair } from "./model.ts";

type Ev = Extract<EngineEvent, { kind: "callback" }>;

export class CallbackPairs {
  readonly marks: CallbackMark[] = [];
  readonly pairs: CallbackPair[] = [];
  /** `colour \0 callback` → the pairs still waiting for their closer, oldest first. */
  private readonly open = new Map<string, CallbackPair[]>();

  event(e: Ev): void {
    const colour =
      e.state !== undefined ? `${e.patch}: state ${e.state}` : `${e.patch}: ${e.object}`;
    const mark: CallbackMark = {
      seq: e.seq,
      tNs: e.tNs,
      patch: e.patch,
      object: e.object,
      callback: e.callback,
      ...(e.state !== undefined ? { state: e.state } : {}),
      colour,
    };
    this.marks.push(mark);
    if (e.pairsWith !== null) {
      // A closer: the latest opener of its kind for the same object or state.
      const waiting = this.open.get(`${colour}\0${e.pairsWith}`);
      const pair = waiting?.pop();
      if (pair) pair.closer = mark;
      return;
    }
    const pair: CallbackPair = { colour, opener: mark, closer: null };
    this.pairs.push(pair);
    const key = `${colour}\0${e.callback}`;
    const list = this.open.get(key);
    if (list) list.push(pair);
    else this.open.set(key, [pair]);
  }
}
