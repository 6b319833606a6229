package dev.actorkit.durable;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.patterns.semaphore.ReadWriteLock;
import dev.actorkit.patterns.semaphore.ReadWriteLockClient;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A durable read-write lock answers as the in-memory one does, and outlives a cluster restart. */
class DurableReadWriteLockTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration LONG = Duration.ofSeconds(60);

  @TempDir Path store;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void answersEveryStepOfTheContractAsTheInMemoryLockDoes() {
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(kit);
      ActorRef<ReadWriteLock.Command> inMemory =
          // a daemon, as every primitive: a non-daemon would hold the kit's close for 10 s
          kit.spawn(Branch.PRIMITIVES, "rw", ReadWriteLock.create(), SpawnOptions.daemon());
      followsTheContract(kit, inMemory);
      followsTheContract(kit, durable.readWriteLock(DurableStores.fresh("ledger")).ref());
    }
  }

  /**
   * One script, every implementation: readers share, a waiting writer holds back later readers,
   * reads are reentrant, an upgrade is refused, a release lets the writer in, a downgrade lets the
   * readers queued behind it in, a zero timeout never queues and a wait runs out; every grant has
   * the next token.
   */
  private static void followsTheContract(ActorKit kit, ActorRef<ReadWriteLock.Command> lock) {
    TestProbe<ReadWriteLock.Reply> a = TestProbe.create("a", kit.system());
    TestProbe<ReadWriteLock.Reply> b = TestProbe.create("b", kit.system());
    TestProbe<ReadWriteLock.Reply> c = TestProbe.create("c", kit.system());
    TestProbe<ReadWriteLock.Reply> d = TestProbe.create("d", kit.system());
    TestProbe<ReadWriteLock.Reply> e = TestProbe.create("e", kit.system());

    lock.tell(new ReadWriteLock.AcquireRead(LONG, a.ref(), a.ref()));
    a.expectMessage(WAIT, new ReadWriteLock.ReadGranted(1));
    lock.tell(new ReadWriteLock.AcquireRead(LONG, b.ref(), b.ref()));
    b.expectMessage(WAIT, new ReadWriteLock.ReadGranted(2));
    lock.tell(new ReadWriteLock.AcquireWrite(LONG, c.ref(), c.ref()));
    lock.tell(new ReadWriteLock.AcquireRead(LONG, d.ref(), d.ref())); // behind the writer
    lock.tell(new ReadWriteLock.AcquireRead(LONG, a.ref(), a.ref())); // reentrant: at once
    a.expectMessage(WAIT, new ReadWriteLock.ReadGranted(3));
    lock.tell(new ReadWriteLock.AcquireWrite(LONG, a.ref(), a.ref()));
    assertThat(a.expectMessageClass(ReadWriteLock.Rejected.class, WAIT).reason())
        .contains("upgrading is not supported");
    lock.tell(new ReadWriteLock.Status(e.ref()));
    assertThat(e.expectMessageClass(ReadWriteLock.StatusReport.class, WAIT))
        .isEqualTo(
            new ReadWriteLock.StatusReport(
                null,
                List.of(a.ref(), b.ref()),
                List.of(
                    new ReadWriteLock.Waiting(c.ref(), true),
                    new ReadWriteLock.Waiting(d.ref(), false))));

    lock.tell(new ReadWriteLock.ReleaseRead(a.ref(), a.ref()));
    lock.tell(new ReadWriteLock.ReleaseRead(a.ref(), a.ref()));
    lock.tell(new ReadWriteLock.ReleaseRead(b.ref(), b.ref()));
    a.expectMessage(WAIT, ReadWriteLock.Released.INSTANCE);
    a.expectMessage(WAIT, ReadWriteLock.Released.INSTANCE);
    b.expectMessage(WAIT, ReadWriteLock.Released.INSTANCE);
    c.expectMessage(WAIT, new ReadWriteLock.WriteGranted(4));
    lock.tell(new ReadWriteLock.ReleaseWrite(b.ref(), b.ref()));
    assertThat(b.expectMessageClass(ReadWriteLock.Rejected.class, WAIT).reason())
        .contains("does not hold the write lock");
    lock.tell(new ReadWriteLock.AcquireWrite(Duration.ZERO, e.ref(), e.ref()));
    e.expectMessage(WAIT, new ReadWriteLock.TimedOut(Duration.ZERO));

    lock.tell(new ReadWriteLock.Downgrade(c.ref(), c.ref()));
    c.expectMessage(WAIT, ReadWriteLock.Downgraded.INSTANCE);
    d.expectMessage(WAIT, new ReadWriteLock.ReadGranted(5));
    lock.tell(new ReadWriteLock.AcquireWrite(Duration.ofMillis(300), e.ref(), e.ref()));
    e.expectMessage(WAIT, new ReadWriteLock.TimedOut(Duration.ofMillis(300)));
    lock.tell(new ReadWriteLock.Status(e.ref()));
    assertThat(e.expectMessageClass(ReadWriteLock.StatusReport.class, WAIT))
        .isEqualTo(new ReadWriteLock.StatusReport(null, List.of(c.ref(), d.ref()), List.of()));

    // An owner that stops gives back what it held: the writer waiting for it gets in.
    lock.tell(new ReadWriteLock.AcquireWrite(LONG, e.ref(), e.ref()));
    lock.tell(new ReadWriteLock.ReleaseRead(c.ref(), c.ref()));
    c.expectMessage(WAIT, ReadWriteLock.Released.INSTANCE);
    d.stop();
    e.expectMessage(WAIT, new ReadWriteLock.WriteGranted(6));
    lock.tell(new ReadWriteLock.ReleaseWrite(e.ref(), e.ref()));
    e.expectMessage(WAIT, ReadWriteLock.Released.INSTANCE);
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aWriterAndAWaitingReaderOfAStoppedClusterLeaveAndTokensGoOnIncreasing() throws Exception {
    String name = DurableStores.fresh("catalogue");
    long before;
    try (ActorKit first = ClusterNode.startFirst(DurableStores.node(store))) {
      ReadWriteLockClient catalogue = DurableKit.start(first).readWriteLock(name);
      ReadWriteLockClient.Hold heldAtStop = catalogue.write(WAIT);
      before = heldAtStop.token();
      CompletableFuture<ReadWriteLockClient.Hold> waitingAtStop =
          catalogue.readAsync(Duration.ofMinutes(10)).toCompletableFuture();
      DurableStores.awaitTrue("one waiter", () -> catalogue.status().waiters().size() == 1);
      Reference.reachabilityFence(heldAtStop); // not given back early by the cleaner
      assertThat(waitingAtStop).isNotDone();
    }
    try (ActorKit second = ClusterNode.startFirst(DurableStores.node(store))) {
      ReadWriteLockClient catalogue = DurableKit.start(second).readWriteLock(name);
      // Both were in the stopped cluster: the writer's lock comes back, the reader's wait leaves.
      try (ReadWriteLockClient.Hold write = catalogue.write(WAIT)) {
        assertThat(write.token()).isGreaterThan(before);
        assertThat(catalogue.status().waiters()).isEmpty();
      }
      try (ReadWriteLockClient.Hold read = catalogue.read(WAIT)) {
        assertThat(read.isWrite()).isFalse();
        assertThat(catalogue.status().readers()).containsExactly(read.owner());
      }
    }
  }
}
