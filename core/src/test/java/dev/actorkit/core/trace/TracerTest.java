package dev.actorkit.core.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.testing.KitTestKit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TracerTest {

  @RegisterExtension
  static final KitTestKit testKit = KitTestKit.create().withConfig("actorkit.trace.max-events = 3");

  private Tracer tracer;

  @BeforeEach
  void freshTracer() {
    tracer = Tracer.get(testKit.system());
    tracer.stop();
    tracer.clear();
  }

  /** Counts how often its text is built. */
  private static final class CountingDetail {
    final AtomicInteger built = new AtomicInteger();

    @Override
    public String toString() {
      built.incrementAndGet();
      return "alice";
    }
  }

  @Test
  void offByDefaultKeepsNothingAndBuildsNothing() {
    assertThat(tracer.enabled()).isFalse();
    CountingDetail detail = new CountingDetail();
    tracer.emit("room", "granted", detail);
    assertThat(tracer.events()).isEmpty();
    assertThat(detail.built).hasValue(0);
  }

  @Test
  void onKeepsEventsInOrderWithTheActorsPathInTheKit() {
    ActorRef<String> room = testKit.spawn(Behaviors.ignore(), "room");
    tracer.start();
    tracer.emit(room, "requested", "alice");
    tracer.emit(room, "granted", "alice");
    tracer.stop();
    tracer.emit(room, "released", "alice");

    assertThat(tracer.events())
        .extracting(TraceEvent::actor, TraceEvent::kind, TraceEvent::detail)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("room", "requested", "alice"),
            org.assertj.core.groups.Tuple.tuple("room", "granted", "alice"));
    assertThat(tracer.events().get(1).at()).isGreaterThanOrEqualTo(tracer.events().get(0).at());
    assertThat(tracer.events().get(0).actorName()).isEqualTo("room");
  }

  @Test
  void keepsAtMostMaxEventsAndCountsTheRest() {
    tracer.start();
    for (int i = 0; i < 5; i++) {
      tracer.emit("demo", "tick", i);
    }
    assertThat(tracer.events()).extracting(TraceEvent::detail).containsExactly("0", "1", "2");
    assertThat(tracer.dropped()).isEqualTo(2);
    tracer.clear();
    assertThat(tracer.events()).isEmpty();
    assertThat(tracer.dropped()).isZero();
  }

  @Test
  void pathInKitDropsTheUserGuardian() {
    ActorRef<String> nested = testKit.spawn(Behaviors.ignore(), "pools");
    assertThat(Tracer.pathInKit(nested)).isEqualTo("pools");
  }

  @Test
  void forwardingHandsEveryEventToTheOtherTracerUntilClosed() throws Exception {
    try (ActorKit other = ActorKit.create("forwarding-source")) {
      Tracer target = tracer;
      target.start();
      AutoCloseable forwarding = other.tracer().forwardTo(target);
      other.tracer().emit("primitives/till", TraceKind.GRANTED, "cook", "token 1");
      forwarding.close();
      other.tracer().emit("primitives/till", TraceKind.RELEASED, "cook", "");
      target.stop();
      assertThat(target.events())
          .extracting(TraceEvent::actor, TraceEvent::kind, TraceEvent::participant)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("primitives/till", "granted", "cook"));
      assertThat(other.tracer().enabled()).as("the forward was its only listener").isFalse();
      // forwards both ways: each tracer gets each event once, and nothing loops
      target.clear();
      target.start();
      other.tracer().start();
      try (AutoCloseable there = other.tracer().forwardTo(target);
          AutoCloseable back = target.forwardTo(other.tracer())) {
        target.emit("primitives/till", TraceKind.WAITING, "ann", "");
      }
      assertThat(target.events()).hasSize(1);
      assertThat(other.tracer().events()).hasSize(1);
      other.tracer().stop();
      target.stop();
      assertThatThrownBy(() -> target.forwardTo(target))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aListenerSeesEveryEventWhileRegisteredWithoutKeepingAny() throws Exception {
    ActorRef<String> room = testKit.spawn(Behaviors.ignore(), "listened-room");
    ActorRef<String> ann = testKit.spawn(Behaviors.ignore(), "ann");
    java.util.List<TraceEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    AutoCloseable listening = tracer.listen(seen::add);
    assertThat(tracer.enabled()).isTrue();
    tracer.emit(room, TraceKind.GRANTED, ann, "token 1");
    listening.close();
    tracer.emit(room, TraceKind.RELEASED, ann, "");

    assertThat(tracer.enabled()).isFalse();
    assertThat(tracer.events()).as("nothing kept: keeping was never started").isEmpty();
    assertThat(seen)
        .extracting(TraceEvent::actor, TraceEvent::kind, TraceEvent::participant)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("listened-room", "granted", "ann"));
  }

  @Test
  void anAliasNamesTheParticipantAndClearForgetsIt() {
    ActorRef<String> room = testKit.spawn(Behaviors.ignore(), "aliased-room");
    ActorRef<String> standIn = testKit.spawn(Behaviors.ignore(), "caller-99");
    tracer.alias(standIn, "ignored while off");
    assertThat(tracer.participantName(standIn)).isEqualTo("caller-99");
    tracer.start();
    tracer.alias(standIn, "cook");
    tracer.emit(room, TraceKind.WAITING, standIn, "");
    tracer.emit("threads/room", TraceKind.WAITING, "Ann", "");

    assertThat(tracer.events())
        .extracting(TraceEvent::participant, TraceEvent::fromThreads)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("cook", false),
            org.assertj.core.groups.Tuple.tuple("Ann", true));
    tracer.clear();
    assertThat(tracer.participantName(standIn)).isEqualTo("caller-99");
  }
}
