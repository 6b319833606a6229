package dev.actorkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ActorKitTest {

  /** Stops itself when told to; counts what it was told first. */
  private static Behavior<String> stopsOnRequest(AtomicBoolean stopped) {
    return Behaviors.receive(String.class)
        .onMessageEquals("stop", Behaviors::stopped)
        .onSignal(
            PostStop.class,
            signal -> {
              stopped.set(true);
              return Behaviors.same();
            })
        .build();
  }

  private static Behavior<String> idle() {
    return Behaviors.ignore();
  }

  private static ActorKit kit(String hocon) {
    Config config = ConfigFactory.parseString(hocon);
    return ActorKit.create("ActorKitTest", config);
  }

  @Test
  void startsThreeBranchesOnTheirDispatchers() {
    try (ActorKit kit = ActorKit.create("branches")) {
      ActorNode tree = kit.tree();
      assertThat(tree.name()).isEqualTo("branches");
      assertThat(tree.children())
          .extracting(ActorNode::name)
          .containsExactly("pools", "primitives", "system");
      for (Branch branch : Branch.values()) {
        ActorNode node = tree.find(branch.actorName());
        assertThat(node.dispatcher()).isEqualTo("actorkit.dispatchers.coordination");
        assertThat(node.supervision()).contains(branch.supervision().describe());
      }
      assertThat(tree.render())
          .contains("primitives", "pools", "system", "actorkit.dispatchers.coordination");
    }
  }

  @Test
  void treeShowsSpawnedActorsWithDispatcherSupervisionAndLifetime() {
    try (ActorKit kit = ActorKit.create("tree")) {
      kit.spawn(Branch.PRIMITIVES, "room", idle(), SpawnOptions.daemon());
      Behavior<String> parent =
          Behaviors.setup(
              context -> {
                ActorKit.spawnChild(
                    context, "worker-1", idle(), KitDispatcher.BLOCKING, Supervision.restart());
                return Behaviors.ignore();
              });
      ActorRef<String> pool =
          kit.spawn(Branch.POOLS, "pool", parent, SpawnOptions.daemon().on(KitDispatcher.COMPUTE));

      ActorNode room = kit.tree().find("primitives/room");
      assertThat(room.dispatcher()).isEqualTo("actorkit.dispatchers.coordination");
      assertThat(room.supervision()).isEqualTo("resume");
      assertThat(room.lifetime()).isEqualTo(Lifetime.DAEMON);
      assertThat(kit.tree().find("pools/pool").dispatcher())
          .isEqualTo("actorkit.dispatchers.compute");

      ActorNode worker = awaitNode(kit, "pools/pool/worker-1");
      assertThat(worker.dispatcher()).isEqualTo("actorkit.dispatchers.blocking");
      assertThat(worker.supervision()).isEqualTo("restart");
      assertThat(worker.lifetime()).isEqualTo(Lifetime.CHILD);
      assertThat(pool.path().name()).isEqualTo("pool");
    }
  }

  /** The parent spawns its child when it starts, which is after spawn() has returned. */
  private static ActorNode awaitNode(ActorKit kit, String path) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (kit.tree().find(path) == null && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    return kit.tree().find(path);
  }

  @Test
  void stoppedActorsLeaveTheTree() {
    try (ActorKit kit = ActorKit.create("leaves")) {
      AtomicBoolean stopped = new AtomicBoolean();
      ActorRef<String> actor = kit.spawn(Branch.PRIMITIVES, "short-lived", stopsOnRequest(stopped));
      assertThat(kit.tree().find("primitives/short-lived")).isNotNull();
      actor.tell("stop");
      assertThat(kit.join(actor, Duration.ofSeconds(10))).isTrue();
      awaitGone(kit, "primitives/short-lived");
      assertThat(kit.tree().find("primitives/short-lived")).isNull();
    }
  }

  /** The branch forgets a child when it processes Terminated, just after join completes. */
  private static void awaitGone(ActorKit kit, String path) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (kit.tree().find(path) != null && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  @Test
  void duplicateNameIsRejectedAndTheFirstActorKeepsRunning() {
    try (ActorKit kit = ActorKit.create("duplicates")) {
      AtomicBoolean firstStopped = new AtomicBoolean();
      ActorRef<String> first = kit.spawn(Branch.PRIMITIVES, "mutex", stopsOnRequest(firstStopped));

      assertThatThrownBy(() -> kit.spawn(Branch.PRIMITIVES, "mutex", idle()))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("an actor named 'mutex' already runs under primitives");
      assertThat(firstStopped).isFalse();

      // The same name under another branch is another actor.
      assertThat(
              kit.spawn(Branch.SYSTEM, "mutex", idle(), SpawnOptions.daemon())
                  .path()
                  .parent()
                  .name())
          .isEqualTo("system");
      assertThat(kit.tree().find("primitives/mutex")).isNotNull();
      first.tell("stop");
      assertThat(kit.join(first, Duration.ofSeconds(10))).isTrue();
    }
  }

  @Test
  void blankAndInvalidNamesAreRejected() {
    try (ActorKit kit = ActorKit.create("names")) {
      assertThatThrownBy(() -> kit.spawn(Branch.PRIMITIVES, " ", idle()))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("non-blank name");
      assertThatThrownBy(() -> kit.spawn(Branch.PRIMITIVES, "no/slashes", idle()))
          .isInstanceOf(RejectedException.class);
      assertThat(kit.tree().find("primitives").children()).isEmpty();
    }
  }

  @Test
  void joinReturnsTrueOnceTheActorStops() {
    try (ActorKit kit = ActorKit.create("join")) {
      AtomicBoolean stopped = new AtomicBoolean();
      ActorRef<String> actor = kit.spawn(Branch.PRIMITIVES, "worker", stopsOnRequest(stopped));
      actor.tell("stop");
      assertThat(kit.join(actor, Duration.ofSeconds(30))).isTrue();
      assertThat(stopped).isTrue();
      // Joining an actor that has already stopped answers at once.
      assertThat(kit.joinAsync(actor, Duration.ofSeconds(30)).toCompletableFuture().join())
          .isNotNull();
    }
  }

  @Test
  void joinWithTimeoutReturnsFalseWhileTheActorRuns() {
    // At speed 1000 a 50-second story timeout passes in 50 ms of real time.
    try (ActorKit kit = ActorKit.create("joinTimeout", ActorKit.speed(1000))) {
      ActorRef<String> actor =
          kit.spawn(Branch.PRIMITIVES, "forever", idle(), SpawnOptions.daemon());
      assertThat(kit.join(actor, Duration.ofSeconds(50))).isFalse();
      assertThatThrownBy(
              () -> kit.joinAsync(actor, Duration.ofSeconds(50)).toCompletableFuture().join())
          .hasCauseInstanceOf(TimedOutException.class)
          .hasMessageContaining("forever stopping");
      assertThat(kit.tree().find("primitives/forever")).isNotNull();
    }
  }

  @Test
  void closeWaitsForNonDaemonActorsToFinishTheirWork() {
    AtomicInteger done = new AtomicInteger();
    ActorKit kit = kit("actorkit.shutdown.non-daemon-timeout = 60s");
    // Works through 5 steps, 20 ms apart, then stops itself: a thread that runs to its end.
    Behavior<String> worker =
        Behaviors.withTimers(
            timers -> {
              timers.startTimerWithFixedDelay("step", Duration.ofMillis(20));
              return Behaviors.receive(String.class)
                  .onMessageEquals(
                      "step",
                      () -> done.incrementAndGet() == 5 ? Behaviors.stopped() : Behaviors.same())
                  .build();
            });
    kit.spawn(Branch.PRIMITIVES, "worker", worker);
    kit.close();
    assertThat(done).hasValue(5);
  }

  @Test
  void closeWaitsForNonDaemonActorsOnlyUpToTheBound() {
    ActorKit kit = kit("actorkit.shutdown.non-daemon-timeout = 300ms");
    AtomicBoolean stopped = new AtomicBoolean();
    kit.spawn(Branch.PRIMITIVES, "never-finishes", stopsOnRequest(stopped));
    long start = System.nanoTime();
    kit.close();
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(elapsedMs).isGreaterThanOrEqualTo(300);
    assertThat(stopped).as("stopped by the system's termination").isTrue();
    assertThat(kit.system().whenTerminated().isCompleted()).isTrue();
  }

  @Test
  void closeTellsFinishingActorsToFinishAndWaitsForThem() {
    ActorKit kit = kit("actorkit.shutdown.non-daemon-timeout = 60s");
    AtomicInteger served = new AtomicInteger();
    // A service: handles requests until told "finish", then stops.
    Behavior<String> service =
        Behaviors.receive(String.class)
            .onMessageEquals("finish", Behaviors::stopped)
            .onAnyMessage(
                request -> {
                  served.incrementAndGet();
                  return Behaviors.same();
                })
            .build();
    ActorRef<String> ref = kit.spawnFinishing(Branch.POOLS, "service", service, "finish");
    ref.tell("request");
    long start = System.nanoTime();
    kit.close();
    assertThat(served).hasValue(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    try (ActorKit other = ActorKit.create("other")) {
      assertThatThrownBy(() -> other.spawnFinishing(Branch.POOLS, "y", service, null))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void closeStopsDaemonsAtOnce() {
    ActorKit kit = kit("actorkit.shutdown.non-daemon-timeout = 60s");
    AtomicBoolean stopped = new AtomicBoolean();
    kit.spawn(Branch.PRIMITIVES, "daemon", stopsOnRequest(stopped), SpawnOptions.daemon());
    long start = System.nanoTime();
    kit.close();
    assertThat(stopped).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void closeIsIdempotentAndRefusesLaterSpawns() {
    ActorKit kit = ActorKit.create("closed");
    kit.close();
    kit.close();
    assertThatThrownBy(() -> kit.spawn(Branch.PRIMITIVES, "late", idle()))
        .isInstanceOf(ClosedException.class);
  }

  @Test
  void settingsAreValidated() {
    assertThatThrownBy(() -> ActorKit.create("bad", ActorKit.speed(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("actorkit.clock.speed");
    assertThatThrownBy(() -> kit("actorkit.ask-timeout = 0s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("actorkit.ask-timeout");
  }

  @Test
  void closeBlocksUntilTheLastNonDaemonStops() throws Exception {
    // A non-daemon actor that stops when a plain thread says so: close() returns only after.
    ActorKit kit = kit("actorkit.shutdown.non-daemon-timeout = 60s");
    AtomicBoolean stopped = new AtomicBoolean();
    ActorRef<String> actor = kit.spawn(Branch.PRIMITIVES, "held", stopsOnRequest(stopped));
    CountDownLatch closed = new CountDownLatch(1);
    Thread closer =
        new Thread(
            () -> {
              kit.close();
              closed.countDown();
            });
    closer.start();
    assertThat(closed.await(200, TimeUnit.MILLISECONDS))
        .as("close() returned while a non-daemon ran")
        .isFalse();
    actor.tell("stop");
    assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(stopped).isTrue();
  }
}
