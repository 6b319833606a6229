package dev.actorkit.core.trace;

import java.util.Set;

/**
 * The kinds of {@link TraceEvent} a timeline and the live console read as spans and levels. A
 * primitive (and a demo's threads half) that emits these, with the {@link TraceEvent#participant()}
 * they concern, gets waiting and holding spans drawn for it; any other kind is an instant.
 *
 * <ul>
 *   <li>{@link #WAITING} opens a waiting span for the participant on that primitive;
 *   <li>{@link #GRANTED} closes it (if any) and opens a holding span; its detail carries the
 *       fencing token as {@code token N} where the primitive has one;
 *   <li>{@link #ENDS_HOLDING} close the participant's holding span;
 *   <li>{@link #ENDS_WAITING} close the participant's waiting span without a grant;
 *   <li>{@link #LEVEL}: the detail is a number, the primitive's level now (permits free, items in a
 *       buffer, readers inside), drawn as a line.
 * </ul>
 *
 * A participant may hold several things of one primitive (permits, reentrant holds): a holding span
 * lasts from its first grant to the release that leaves it holding nothing, which the emitter marks
 * by emitting {@link #RELEASED} only then.
 */
public final class TraceKind {

  /** A participant starts waiting (its request was queued). */
  public static final String WAITING = "waiting";

  /** A participant now holds what it asked for. */
  public static final String GRANTED = "granted";

  /** A participant holds nothing of the primitive any more. */
  public static final String RELEASED = "released";

  /** A participant that already held some of the primitive got more: its holding span goes on. */
  public static final String GRANTED_MORE = "granted more";

  /** A participant gave back part of what it held and still holds the rest: its span goes on. */
  public static final String GAVE_BACK = "gave back";

  /** A participant lost what it held without releasing it (a lease ran out, its owner died). */
  public static final String REVOKED = "revoked";

  /** A participant's wait ran out. */
  public static final String TIMED_OUT = "timed-out";

  /** A participant's wait was withdrawn by its caller. */
  public static final String WITHDRAWN = "withdrawn";

  /** A participant's wait was dropped (its owner died, or the primitive closed). */
  public static final String DROPPED = "dropped";

  /** A participant's wait was ended to break a deadlock. */
  public static final String DEADLOCK = "deadlock";

  /** A participant waiting for a signal was woken by it (an event set, a latch opened). */
  public static final String WOKE = "woke";

  /** The primitive's level now; the detail is the number. */
  public static final String LEVEL = "level";

  /** The kinds that end a holding span. */
  public static final Set<String> ENDS_HOLDING = Set.of(RELEASED, REVOKED);

  /** The kinds that end a waiting span without a grant. */
  public static final Set<String> ENDS_WAITING =
      Set.of(TIMED_OUT, WITHDRAWN, DROPPED, DEADLOCK, WOKE);

  /** The kind of a grant: {@link #GRANTED} if the participant held nothing before, else more. */
  public static String grant(boolean first) {
    return first ? GRANTED : GRANTED_MORE;
  }

  /**
   * The kind of a release: {@link #RELEASED} if it leaves the participant holding nothing, else
   * {@link #GAVE_BACK}.
   */
  public static String release(boolean holdsNothing) {
    return holdsNothing ? RELEASED : GAVE_BACK;
  }

  private TraceKind() {}
}
