package dev.actorkit.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.trace.TraceEvent;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.patterns.mutex.Mutex;
import dev.actorkit.patterns.mutex.MutexClient;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A durable mutex on one node, across restarts of the whole cluster from the same store. */
class DurableMutexTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path store;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void grantsInOrderWithIncreasingTokensAndTheSameMutexByName() throws Exception {
    String name = DurableStores.fresh("till");
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(kit);
      assertThat(DurableKit.start(kit)).isSameAs(durable);
      MutexClient till = durable.mutex(name);
      MutexClient.Lock first = till.acquire(WAIT);
      assertThat(first.token()).isEqualTo(1);
      assertThat(till.tryAcquire()).isEmpty(); // held: a zero timeout does not queue
      CompletableFuture<MutexClient.Lock> second = till.acquireAsync(WAIT).toCompletableFuture();
      DurableStores.awaitTrue("one waiter", () -> till.status().waiters().size() == 1);
      assertThat(second).isNotDone();
      first.close();
      MutexClient.Lock next = second.get(30, TimeUnit.SECONDS);
      assertThat(next.token()).isEqualTo(2);
      assertThat(till.status().holder()).isEqualTo(next.owner());
      next.close();
      assertThat(till.status().holder()).isNull();
      assertThat(durable.mutex(name)).isSameAs(till);
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void itsTraceNamesTheThreadsAndUsesTheKindsATimelineDraws() throws Exception {
    String name = DurableStores.fresh("traced");
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      MutexClient till = DurableKit.start(kit).mutex(name);
      till.acquire(WAIT).close(); // started and recovered before the trace
      Tracer tracer = kit.tracer();
      tracer.start();
      MutexClient.Lock held = till.acquire(WAIT); // token 2, held by this thread
      Thread cook =
          new Thread(
              () -> {
                try (MutexClient.Lock lock = till.acquire(WAIT)) {
                  assertThat(lock.token()).isEqualTo(3);
                }
              },
              "cook");
      cook.start();
      DurableStores.awaitTrue("the cook waits", () -> till.status().waiters().size() == 1);
      held.close();
      cook.join(TimeUnit.SECONDS.toMillis(30));
      DurableStores.awaitTrue(
          "the cook's release traced",
          () ->
              tracer.events().stream()
                  .anyMatch(
                      e -> e.kind().equals(TraceKind.RELEASED) && e.participant().equals("cook")));
      tracer.stop();
      // the cook's wait ends in its grant, each hold in its release
      assertThat(tracer.events())
          .filteredOn(e -> e.actorName().equals(name) && e.participant().equals("cook"))
          .extracting(TraceEvent::kind, TraceEvent::detail)
          .containsExactly(
              tuple(TraceKind.WAITING, "for the lock"),
              tuple(TraceKind.GRANTED, "token 3"),
              tuple(TraceKind.RELEASED, "token 3"));
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aWaitRunsOutAndTheRefusalsLeaveTheLockAsItWas() throws Exception {
    String name = DurableStores.fresh("refusals");
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      MutexClient till = DurableKit.start(kit).mutex(name);
      try (MutexClient.Lock held = till.acquire(WAIT)) {
        Optional<MutexClient.Lock> late = till.tryAcquire(Duration.ofMillis(300));
        assertThat(late).isEmpty();
        assertThat(till.status().waiters()).isEmpty();
        assertThatThrownBy(() -> till.acquire(Duration.ofSeconds(-1)))
            .isInstanceOf(RejectedException.class);
        assertThat(till.status().holder()).isEqualTo(held.owner());
      }
      assertThatThrownBy(() -> DurableKit.start(kit).mutex(" "))
          .isInstanceOf(IllegalArgumentException.class);
      try (MutexClient.Lock lock = till.acquire(WAIT)) {
        assertThatThrownBy(() -> till.condition("never").await(lock, Duration.ofSeconds(1)))
            .isInstanceOf(RejectedException.class)
            .hasMessageContaining("no conditions");
      }
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void tokensNeverRepeatAcrossARestartAndADeadHoldersLockComesBack() throws Exception {
    String name = DurableStores.fresh("restart");
    long before;
    try (ActorKit first = ClusterNode.startFirst(DurableStores.node(store))) {
      MutexClient till = DurableKit.start(first).mutex(name);
      till.acquire(WAIT).close();
      MutexClient.Lock heldAtStop = till.acquire(WAIT); // held when the whole cluster stops
      before = heldAtStop.token();
      assertThat(before).isEqualTo(2);
      Reference.reachabilityFence(heldAtStop); // not given back early by the cleaner
    }
    try (ActorKit second = ClusterNode.startFirst(DurableStores.node(store))) {
      MutexClient till = DurableKit.start(second).mutex(name);
      // The holder was in the cluster that stopped: the recovered mutex finds it gone.
      try (MutexClient.Lock lock = till.acquire(WAIT)) {
        assertThat(lock.token()).isGreaterThan(before);
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aStoreThatCannotBeReachedIsNamedAtStart() {
    var unreachable =
        ConfigFactory.parseString(
                "akka-persistence-jdbc.shared-databases.actorkit {"
                    + " profile = \"slick.jdbc.PostgresProfile$\","
                    + " db.driver = \"org.postgresql.Driver\","
                    + " db.url = \"jdbc:postgresql://127.0.0.1:9/nowhere\","
                    + " db.connectionTimeout = 1000 }\n"
                    + "actorkit.durable.store-start-timeout = 20s")
            .withFallback(ClusterNode.port(0));
    try (ActorKit kit = ClusterNode.startFirst(unreachable)) {
      assertThatThrownBy(() -> DurableKit.start(kit))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("jdbc:postgresql://127.0.0.1:9/nowhere");
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void answersAsTheInMemoryMutexDoesWhereAMoveCouldHaveLostAGrant() throws Exception {
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(kit);
      MutexClient till = durable.mutex(DurableStores.fresh("odd name / with spaces"));
      TestProbe<Mutex.Reply> owner = TestProbe.create(kit.system());
      TestProbe<Mutex.NewToken> resource = TestProbe.create(kit.system());
      till.ref().tell(new Mutex.Guard(resource.ref()));
      till.ref().tell(new Mutex.Guard(null)); // ignored, as by the in-memory mutex
      assertThat(till.status().token()).as("free: no token").isZero();
      resource.expectNoMessage(Duration.ofMillis(200)); // nothing granted yet: no fence to send
      till.ref().tell(new Mutex.Acquire(owner.ref(), owner.ref()));
      assertThat(resource.expectMessageClass(Mutex.NewToken.class).token()).isEqualTo(1);
      owner.expectMessage(new Mutex.Granted(1, 1));
      till.ref().tell(new Mutex.Guard(resource.ref())); // guarded already: the fence again
      assertThat(resource.expectMessageClass(Mutex.NewToken.class).token()).isEqualTo(1);
      // A holder that walks away by Withdraw (as a LockOwner's call does when its time runs out)
      // hears its grant again first, in case the node that wrote it died before sending it.
      till.ref().tell(new Mutex.Withdraw(owner.ref(), owner.ref()));
      owner.expectMessage(new Mutex.Granted(1, 1));
      owner.expectMessage(new Mutex.Withdrawn(false));
      till.ref().tell(new Mutex.Release(owner.ref(), 1, owner.ref()));
      owner.expectMessage(new Mutex.Released(1, 0));
      assertThat(resource.expectMessageClass(Mutex.NewToken.class).token()).isEqualTo(2);
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aWriteTheStoreRefusesIsAnsweredRejectedAndChangesNothing() throws Exception {
    if (DurableStores.onPostgres()) {
      return; // the store is made to refuse writes here by an H2 trigger
    }
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      MutexClient till = DurableKit.start(kit).mutex(DurableStores.fresh("till"));
      MutexClient.Lock held = till.acquire(WAIT);
      try (java.sql.Connection db =
              java.sql.DriverManager.getConnection(DurableStores.h2Url(store), "sa", "");
          java.sql.Statement sql = db.createStatement()) {
        sql.execute(
            "CREATE TRIGGER refuse BEFORE INSERT, UPDATE ON \"durable_state\" FOR EACH ROW CALL \""
                + RefuseWrites.class.getName()
                + "\"");
        RefuseWrites.refusing = true;
        try {
          assertThatThrownBy(() -> till.acquire(WAIT))
              .as("the write of its wait fails, and the store, read again, does not have it")
              .isInstanceOf(RejectedException.class)
              .hasMessageContaining("did not take the change");
        } finally {
          RefuseWrites.refusing = false;
        }
      }
      // The mutex starts again from the store: the hold stands, and nobody waits.
      DurableStores.awaitTrue(
          "the mutex as the store has it",
          () -> {
            try {
              Mutex.Status status = till.status();
              return held.owner().equals(status.holder()) && status.waiters().isEmpty();
            } catch (RuntimeException stillRestarting) {
              return false;
            }
          });
      held.close();
      try (MutexClient.Lock next = till.acquire(WAIT)) {
        assertThat(next.token()).isEqualTo(2);
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theEmbeddedStoreIsRefusedOnANodeOtherMachinesCanReach() {
    var reachable =
        ConfigFactory.parseString(
                "akka.remote.artery.canonical.hostname = \"10.255.255.1\"\n"
                    + "akka.remote.artery.bind.hostname = \"127.0.0.1\"")
            .withFallback(DurableStores.node(store));
    try (ActorKit kit = ActorKit.clustered(reachable)) {
      if (DurableStores.onPostgres()) {
        return; // the check is about the embedded store
      }
      assertThatThrownBy(() -> DurableKit.start(kit))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("10.255.255.1")
          .hasMessageContaining("PostgreSQL");
    }
  }
}
