package dev.actorkit.core.trace;

import java.time.Duration;

/**
 * One thing that happened to a primitive: a request, a wait, a grant, a release, a wake-up.
 *
 * @param at story time on the kit clock when it happened
 * @param actor the actor it happened in, as its path inside the kit (for example {@code
 *     primitives/room})
 * @param kind what happened, a short verb in the past tense ({@code requested}, {@code waiting},
 *     {@code granted}, {@code released}, {@code set}, {@code woke}...)
 * @param detail who or what it concerned, free text
 */
public record TraceEvent(Duration at, String actor, String kind, String detail) {

  /** The last element of {@link #actor()}: the actor's own name. */
  public String actorName() {
    int slash = actor.lastIndexOf('/');
    return slash < 0 ? actor : actor.substring(slash + 1);
  }
}
