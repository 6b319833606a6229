package dev.actorkit.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.trace.TraceEvent;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.patterns.event.EventClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A durable event on one node, and across a restart of the whole cluster. */
class DurableEventTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path store;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void setWakesEveryWaiterOnceAndClearRearmsIt() throws Exception {
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      String name = DurableStores.fresh("dinner");
      EventClient dinner = DurableKit.start(kit).event(name);
      assertThat(dinner.isSet()).isFalse();
      Tracer tracer = kit.tracer();
      tracer.start();
      CompletableFuture<Boolean> first = dinner.awaitAsync(WAIT).toCompletableFuture();
      CompletableFuture<Boolean> second = dinner.awaitAsync(WAIT).toCompletableFuture();
      DurableStores.awaitTrue("two waiters", () -> dinner.status().waiting() == 2);
      assertThat(dinner.await(Duration.ZERO)).as("a zero timeout polls").isFalse();
      assertThat(dinner.set()).isEqualTo(2);
      assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(second.get(30, TimeUnit.SECONDS)).isTrue();
      tracer.stop();
      // each wait a timeline opens is closed by the set that woke it
      List<String> kinds =
          tracer.events().stream()
              .filter(e -> e.actorName().equals(name) && !e.participant().isEmpty())
              .map(TraceEvent::kind)
              .toList();
      assertThat(kinds).filteredOn(TraceKind.WAITING::equals).hasSize(2);
      assertThat(kinds).filteredOn(TraceKind.WOKE::equals).hasSize(2);
      tracer.clear();
      assertThat(dinner.set()).as("setting a set event wakes nobody").isZero();
      assertThat(dinner.await(WAIT)).as("a set event answers at once").isTrue();
      assertThat(dinner.clear()).isTrue();
      assertThat(dinner.clear()).isFalse();
      assertThat(dinner.await(Duration.ofMillis(300))).as("re-armed: the wait runs out").isFalse();
      assertThat(dinner.status().waiting()).isZero();
      assertThatThrownBy(() -> dinner.await(Duration.ofSeconds(-1)))
          .isInstanceOf(RejectedException.class);
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void whetherItIsSetSurvivesARestartAndAWaiterOfTheStoppedClusterIsDropped() throws Exception {
    String set = DurableStores.fresh("set");
    String waited = DurableStores.fresh("waited");
    try (ActorKit first = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(first);
      durable.event(set).set();
      EventClient pending = durable.event(waited);
      pending.awaitAsync(Duration.ofMinutes(5));
      DurableStores.awaitTrue("a waiter", () -> pending.status().waiting() == 1);
    }
    try (ActorKit second = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(second);
      assertThat(durable.event(set).isSet()).isTrue();
      EventClient pending = durable.event(waited);
      DurableStores.awaitTrue(
          "the stopped cluster's waiter dropped", () -> pending.status().waiting() == 0);
      assertThat(pending.set()).isZero();
    }
  }
}
