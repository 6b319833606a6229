package dev.actorkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.BrokenBarrierException;
import dev.actorkit.core.errors.EndOfStreamException;
import dev.actorkit.core.testing.Eventually;
import dev.actorkit.patterns.account.Account;
import dev.actorkit.patterns.account.AccountClient;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferClient;
import dev.actorkit.patterns.event.Barrier;
import dev.actorkit.patterns.event.BarrierClient;
import dev.actorkit.patterns.event.Event;
import dev.actorkit.patterns.event.EventClient;
import dev.actorkit.patterns.event.Latch;
import dev.actorkit.patterns.event.LatchClient;
import dev.actorkit.patterns.manager.SharedList;
import dev.actorkit.patterns.manager.SharedListClient;
import dev.actorkit.patterns.manager.SharedMap;
import dev.actorkit.patterns.manager.SharedMapClient;
import dev.actorkit.patterns.mutex.Mutex;
import dev.actorkit.patterns.mutex.MutexClient;
import dev.actorkit.patterns.pipe.PipeClient;
import dev.actorkit.patterns.semaphore.Permit;
import dev.actorkit.patterns.semaphore.ReadWriteLock;
import dev.actorkit.patterns.semaphore.ReadWriteLockClient;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM ({@link ChildMains.Holder}) takes something of every primitive the parent hosts — the
 * mutex with a fenced write, a permit, the write lock, an unacknowledged delivery, a put parked on
 * a full buffer, waits on a barrier, an event and a latch — and makes acknowledged increments and
 * appends, and sends through a pipe end used in place and one moved into its JVM. Then it is killed
 * with SIGKILL, or frozen with SIGSTOP past the failure detector and thawed. Either way nothing it
 * held stays held, nothing it waited for is still waited for, nothing acknowledged is lost, and a
 * thawed holder's late write under its old token is not accepted. (Pipes, moved and used in place,
 * are in {@code TwoNodesTest}.)
 */
class PrimitivesAcrossJvmsTest {

  /** Outlasts the downing of a dead or frozen JVM (about 10 s with the defaults). */
  private static final Duration RECOVERY = Duration.ofSeconds(45);

  @TempDir Path temp;

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void whatAKilledJvmHeldComesBackAndWhatItWroteStays() throws Exception {
    try (ActorKit parent = ClusterNode.startFirst(ClusterNode.port(0))) {
      Hosted hosted = new Hosted(parent);
      CompletableFuture<Long> ready = new CompletableFuture<>();
      try (ChildJvm holder = hosted.startHolder(temp.resolve("never"), ready, line -> {})) {
        long token = ready.get(60, TimeUnit.SECONDS);
        hosted.expectHeldBy(token);
        holder.kill(true);
        hosted.expectEverythingBack(token);
      }
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aFrozenJvmLosesWhatItHeldAndCannotWriteLateWhenThawed() throws Exception {
    try (ActorKit parent = ClusterNode.startFirst(ClusterNode.port(0))) {
      Hosted hosted = new Hosted(parent);
      CompletableFuture<Long> ready = new CompletableFuture<>();
      CompletableFuture<String> lateWrite = new CompletableFuture<>();
      CompletableFuture<String> afterDowned = new CompletableFuture<>();
      Path thawed = temp.resolve("thawed");
      try (ChildJvm holder =
          hosted.startHolder(
              thawed,
              ready,
              line -> {
                if (line.contains("late write: ")) {
                  lateWrite.complete(line.substring(line.indexOf("late write: ") + 12));
                } else if (line.contains("holds the lock ")) {
                  afterDowned.complete(line.substring(line.lastIndexOf(' ') + 1));
                }
              })) {
        long token = ready.get(60, TimeUnit.SECONDS);
        hosted.expectHeldBy(token);
        holder.freeze();
        try {
          hosted.expectEverythingBack(token);
        } finally {
          holder.thaw();
        }
        Files.writeString(thawed, "go");
        assertThat(lateWrite.get(60, TimeUnit.SECONDS))
            .as("the thawed holder's write under its old token")
            .isNotEqualTo("accepted");
        assertThat(hosted.till.balance()).isEqualTo(100 - 10 - 5); // the parent's 5, not its 50
        assertThat(afterDowned.get(60, TimeUnit.SECONDS))
            .as("whether the thawed holder still believes it holds the lock")
            .isEqualTo("false");
        assertThat(holder.waitFor(Duration.ofSeconds(30))).isZero();
      }
    }
  }

  /** The primitives the parent hosts and registers for the holder, and what it checks on them. */
  private static final class Hosted {
    final ActorKit parent;
    final MutexClient mx;
    final AccountClient till;
    final SemaphoreClient s;
    final ReadWriteLockClient rw;
    final BufferClient<Object> buf;
    final BufferClient<Object> full;
    final BarrierClient b;
    final EventClient ev;
    final LatchClient la;
    final SharedMapClient m;
    final SharedListClient l;
    final PipeClient.Ends inPlace;
    final PipeClient.Ends moved;

    Hosted(ActorKit parent) {
      this.parent = parent;
      mx = MutexClient.create(parent, "mx", Mutex.Settings.defaults());
      till =
          AccountClient.create(
              parent, "till", Account.Settings.opening(100).fencedBy(mx.ref()).requiringToken());
      s = SemaphoreClient.create(parent, "s", Semaphore.Settings.bounded(2));
      rw = ReadWriteLockClient.create(parent, "rw");
      buf = BufferClient.create(parent, "buf", BoundedBuffer.Settings.of(2));
      full = BufferClient.create(parent, "full", BoundedBuffer.Settings.of(1));
      b = BarrierClient.create(parent, "b", Barrier.Settings.of(3));
      ev = EventClient.create(parent, "ev");
      la = LatchClient.create(parent, "la", 2);
      m = SharedMapClient.create(parent, "m");
      l = SharedListClient.create(parent, "l");
      ClusterNames.register(parent, "mx", Mutex.Command.class, mx.ref());
      ClusterNames.register(parent, "till", Account.Command.class, till.ref());
      ClusterNames.register(parent, "s", Semaphore.Command.class, s.ref());
      ClusterNames.register(parent, "rw", ReadWriteLock.Command.class, rw.ref());
      ClusterNames.register(parent, "buf", ChildMains.BUFFERS, buf.ref());
      ClusterNames.register(parent, "full", ChildMains.BUFFERS, full.ref());
      ClusterNames.register(parent, "b", Barrier.Command.class, b.ref());
      ClusterNames.register(parent, "ev", Event.Command.class, ev.ref());
      ClusterNames.register(parent, "la", Latch.Command.class, la.ref());
      ClusterNames.register(parent, "m", SharedMap.Command.class, m.ref());
      ClusterNames.register(parent, "l", SharedList.Command.class, l.ref());
      inPlace = ChildMains.pipeWithNamedSecondEnd(parent, "inplace");
      moved = ChildMains.pipeWithNamedSecondEnd(parent, "moved");
      buf.put("parcel");
      full.put("first");
    }

    ChildJvm startHolder(
        Path thawed, CompletableFuture<Long> ready, java.util.function.Consumer<String> lines) {
      return ChildJvm.start(
          ChildMains.Holder.class,
          List.of(ClusterNode.address(parent), thawed.toString()),
          "[holder] ",
          line -> {
            System.out.println(line); // in the test's output file, for a failure's story
            if (line.contains("ready token=")) {
              ready.complete(Long.parseLong(line.substring(line.indexOf('=') + 1)));
            }
            lines.accept(line);
          });
    }

    /** Everything the holder took or waits for is visible here. */
    void expectHeldBy(long token) throws InterruptedException {
      assertThat(token).isPositive();
      assertThat(till.balance()).isEqualTo(90);
      assertThat(s.status().available()).isEqualTo(1);
      assertThat(rw.status().writer()).isNotNull();
      assertThat(buf.status().inFlight()).isEqualTo(1);
      assertThat(inPlace.first().recv(RECOVERY)).isEqualTo("through the end used in place");
      assertThat(moved.first().recv(RECOVERY)).isEqualTo("through the moved end");
      // The asynchronous calls were sent before "ready"; wait until each has arrived.
      awaitTrue(
          "the holder's put parked on the full buffer", () -> full.status().parkedProducers() == 1);
      awaitTrue("the holder waiting at the barrier", () -> b.status().waiting() == 1);
      awaitTrue("the holder waiting for the event", () -> ev.status().waiting() == 1);
      awaitTrue("the holder waiting for the latch", () -> la.status().waiting() == 1);
    }

    /** Each wait outlasts the downing of the holder's JVM; then nothing of it is left. */
    void expectEverythingBack(long token) throws InterruptedException {
      try (MutexClient.Lock lock = mx.acquire(RECOVERY)) {
        assertThat(lock.token()).isGreaterThan(token);
        assertThat(till.withdraw(lock, AccountClient.newRequestId(), 5, RECOVERY)).isEqualTo(85);
      }
      try (Permit both = s.acquire(2, RECOVERY)) {
        assertThat(both.permits()).isEqualTo(2);
      }
      try (ReadWriteLockClient.Hold write = rw.write(RECOVERY)) {
        assertThat(write.isWrite()).isTrue();
      }
      assertThat(buf.take(RECOVERY))
          .as("the unacknowledged delivery came back")
          .isEqualTo("parcel");
      assertThatThrownBy(() -> b.await(RECOVERY))
          .isInstanceOf(BrokenBarrierException.class); // its wait broke the barrier, as in Python
      awaitTrue("the dead waiter's event wait dropped", () -> ev.status().waiting() == 0);
      awaitTrue("the dead waiter's latch wait dropped", () -> la.status().waiting() == 0);
      awaitTrue(
          "the dead producer's parked put dropped", () -> full.status().parkedProducers() == 0);
      assertThat(full.take(RECOVERY)).isEqualTo("first");
      assertThat(full.size()).as("the put of a JVM that died was not applied").isZero();
      assertThat(((Number) m.get("hits")).intValue()).isEqualTo(5); // nothing acknowledged lost
      assertThat(l.snapshot()).containsExactly("holder-0", "holder-1", "holder-2");
      assertThatThrownBy(() -> inPlace.first().recv(RECOVERY))
          .as("the end it used in place closed with its JVM")
          .isInstanceOf(EndOfStreamException.class);
      assertThatThrownBy(() -> moved.first().recv(RECOVERY))
          .as("the end it moved in died with its JVM")
          .isInstanceOf(EndOfStreamException.class);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
      Eventually.eventually(RECOVERY, () -> assertThat(condition.getAsBoolean()).as(what).isTrue());
    }
  }
}
