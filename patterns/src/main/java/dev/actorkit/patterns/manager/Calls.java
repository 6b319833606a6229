package dev.actorkit.patterns.manager;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.Ask;
import dev.actorkit.core.KitClock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** The ask-and-await plumbing both manager clients share: story timeouts made real, plus a margin. */
final class Calls<C, R> {

  private final ActorRef<C> server;
  private final ActorSystem<?> system;
  private final KitClock clock;
  final Duration defaultTimeout;

  Calls(ActorRef<C> server, ActorSystem<?> system, Duration defaultTimeout) {
    this.server = server;
    this.system = system;
    this.clock = KitClock.get(system);
    this.defaultTimeout = defaultTimeout;
  }

  static Duration defaultTimeout(ActorSystem<?> system) {
    return system.settings().config().getDuration("actorkit.ask-timeout");
  }

  ActorRef<C> server() {
    return server;
  }

  ActorSystem<?> system() {
    return system;
  }

  /** The reply of type {@code expected}; refusals and other replies fail the stage as {@link Ask#askFor} does. */
  <S extends R> CompletionStage<S> ask(Class<S> expected, akka.japi.function.Function<ActorRef<R>, C> message, Duration timeout) {
    return Ask.askFor(expected, server, message, real(timeout), system.scheduler());
  }

  <T> T await(CompletionStage<T> stage, Duration timeout, String what) {
    return Ask.await(stage, real(timeout).plus(Duration.ofSeconds(1)), what + " on " + Ask.targetName(server));
  }

  private Duration real(Duration storyTimeout) {
    Duration real = clock.toReal(storyTimeout);
    return real.plus(Duration.ofSeconds(1)).plus(real.dividedBy(10));
  }
}
