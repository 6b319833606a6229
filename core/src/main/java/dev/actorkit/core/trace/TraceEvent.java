package dev.actorkit.core.trace;

import java.time.Duration;

/**
 * One thing that happened to a primitive: a request, a wait, a grant, a release, a wake-up.
 *
 * <p>Events whose {@link #actor()} starts with {@value #THREADS} come from the shared-memory half
 * of a story (threads and {@code java.util.concurrent}, recorded by the demo through the same
 * tracer); the others from actors. The kinds that open and close spans are listed in {@link
 * TraceKind}.
 *
 * @param at story time on the kit clock when it happened
 * @param actor the actor it happened in, as its path inside the kit (for example {@code
 *     primitives/room}), or {@code threads/room} for the threads half's room
 * @param kind what happened, a short verb in the past tense ({@code requested}, {@code waiting},
 *     {@code granted}, {@code released}, {@code set}, {@code woke}...): see {@link TraceKind}
 * @param participant who it concerns: the person, cook or worker as an actor's or thread's name
 *     (for a plain-Java call, the name of the calling thread); empty when nobody in particular
 * @param detail anything else worth showing, free text (a grant's token, a level's value)
 */
public record TraceEvent(
    Duration at, String actor, String kind, String participant, String detail) {

  /** The prefix of {@link #actor()} for events of the threads half of a story. */
  public static final String THREADS = "threads/";

  /** An event that concerns nobody in particular. */
  public TraceEvent(Duration at, String actor, String kind, String detail) {
    this(at, actor, kind, "", detail);
  }

  /** The last element of {@link #actor()}: the actor's own name. */
  public String actorName() {
    int slash = actor.lastIndexOf('/');
    return slash < 0 ? actor : actor.substring(slash + 1);
  }

  /** Whether this event was recorded by the threads half of a story. */
  public boolean fromThreads() {
    return actor.startsWith(THREADS);
  }
}
