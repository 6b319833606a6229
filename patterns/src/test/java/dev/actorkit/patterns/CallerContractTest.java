package dev.actorkit.patterns;

import static dev.actorkit.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.InterruptedWaitException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferClient;
import dev.actorkit.patterns.buffer.WorkQueue;
import dev.actorkit.patterns.buffer.WorkQueueClient;
import dev.actorkit.patterns.event.Barrier;
import dev.actorkit.patterns.event.BarrierClient;
import dev.actorkit.patterns.event.EventClient;
import dev.actorkit.patterns.event.LatchClient;
import dev.actorkit.patterns.mutex.LockOwner;
import dev.actorkit.patterns.mutex.Mutex;
import dev.actorkit.patterns.mutex.MutexClient;
import dev.actorkit.patterns.pipe.PipeClient;
import dev.actorkit.patterns.semaphore.Permit;
import dev.actorkit.patterns.semaphore.ReadWriteLockClient;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of the caller layer ({@link dev.actorkit.core.call.Callers}), one contract run against
 * every client that can keep a caller waiting: a caller that walks away — interrupted, its stage
 * cancelled, its timeout racing the grant — leaves nothing held, queued or lost; a client shared by
 * eight threads serves each of them; a zero timeout answers at once even while another thread of
 * the same client waits; a negative timeout is refused before anything is sent; a closed kit
 * refuses every call. Each test ends with the primitive's own status showing it.
 *
 * <p>Each subject says how to make its primitive keep the next call waiting ({@code setUp}), how to
 * let one call through ({@code unblock}), what a successful call got and how to give it back, and
 * what "nothing held, queued or lost" means for it.
 */
class CallerContractTest {

  /** Story time runs 20 times faster: a 30 s wait is 1.5 s of real time at most. */
  private static final double SPEED = 20;

  private static final Duration LONG = Duration.ofSeconds(30);

  private static ActorKit kit;
  private static final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  static void start() {
    kit = ActorKit.create("CallerContract", ActorKit.speed(SPEED));
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** One client and the primitive behind it, in a state where the next call waits. */
  interface Subject {
    /** Makes a fresh primitive in {@code kit} whose next call waits. */
    void setUp(ActorKit kit, String name);

    /** The call that waits, blocking. */
    Object call(Duration timeout);

    /** The same call, as a stage. */
    CompletableFuture<?> callAsync(Duration timeout);

    /** How many calls wait at the primitive now. */
    int queued();

    /** Lets one waiting call through (a holder releases, an item arrives...). */
    void unblock();

    /** Gives back what a successful call got. */
    void giveBack(Object got);

    /** The primitive holds nothing for callers that walked away, queues nothing, lost nothing. */
    void assertNothingHeldQueuedOrLost();

    /** Whether a wait that runs out returns false (an event, a latch) rather than throwing. */
    default boolean timeoutIsFalse() {
      return false;
    }

    /**
     * Whether a call with a zero timeout leaves a waiting call of another thread alone (a barrier's
     * breaks it).
     */
    default boolean zeroTimeoutLeavesOthersAlone() {
      return true;
    }

    /** Any call of the client, to show that it is refused once the kit is closed. */
    Object anotherCall();
  }

  abstract static class Contract {

    abstract Subject subject();

    private Subject fresh() {
      Subject subject = subject();
      subject.setUp(kit, "contract-" + names.incrementAndGet());
      return subject;
    }

    @Test
    void anInterruptedCallerLeavesNothingBehind() throws Exception {
      Subject subject = fresh();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread caller =
          new Thread(
              () -> {
                try {
                  subject.giveBack(subject.call(LONG));
                } catch (Throwable t) {
                  thrown.set(t);
                }
              });
      caller.start();
      eventually(() -> assertThat(subject.queued()).isEqualTo(1));
      caller.interrupt();
      caller.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(caller.isAlive()).isFalse();
      assertThat(thrown.get()).isInstanceOf(InterruptedWaitException.class);
      subject.unblock();
      eventually(subject::assertNothingHeldQueuedOrLost);
    }

    @Test
    void aCancelledStageLeavesNothingBehind() {
      Subject subject = fresh();
      CompletableFuture<?> waiting = subject.callAsync(LONG);
      eventually(() -> assertThat(subject.queued()).isEqualTo(1));
      assertThat(waiting.cancel(true)).isTrue();
      assertThatThrownBy(waiting::join).isInstanceOf(CancellationException.class);
      subject.unblock();
      eventually(subject::assertNothingHeldQueuedOrLost);
    }

    @Test
    void aTimeoutRacingTheGrantLeavesNothingBehind() {
      // Sweep the release across the deadline: whichever wins, nothing may stay held or queued.
      Duration timeout = Duration.ofMillis(200); // story time: 10 ms of real time
      for (int round = 0; round < 12; round++) {
        Subject subject = fresh();
        CompletableFuture<?> waiting = subject.callAsync(timeout);
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(round * 1_500L));
        subject.unblock();
        try {
          subject.giveBack(waiting.join());
        } catch (CompletionException e) {
          assertThat(e.getCause())
              .isInstanceOfAny(TimedOutException.class, RejectedException.class);
        }
        eventually(subject::assertNothingHeldQueuedOrLost);
      }
    }

    @Test
    void aZeroTimeoutAnswersAtOnceWhileAnotherThreadOfTheSameClientWaits() {
      Subject subject = fresh();
      if (!subject.zeroTimeoutLeavesOthersAlone()) {
        return;
      }
      CompletableFuture<?> other = CompletableFuture.supplyAsync(() -> subject.call(LONG));
      eventually(() -> assertThat(subject.queued()).isEqualTo(1));
      if (subject.timeoutIsFalse()) {
        assertThat(subject.call(Duration.ZERO)).isEqualTo(false);
      } else {
        assertThatThrownBy(() -> subject.call(Duration.ZERO)).isInstanceOf(TimedOutException.class);
      }
      assertThat(other).isNotDone(); // answered while the other thread of the client still waits
      assertThat(subject.queued()).isEqualTo(1); // the zero-timeout call never queued
      subject.unblock();
      subject.giveBack(other.join());
      eventually(subject::assertNothingHeldQueuedOrLost);
    }

    @Test
    void aNegativeTimeoutIsRefusedBeforeAnythingIsSent() {
      Subject subject = fresh();
      assertThatThrownBy(() -> subject.call(Duration.ofSeconds(-1)))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("timeout");
      assertThat(subject.callAsync(Duration.ofSeconds(-1))).isCompletedExceptionally();
      assertThat(subject.queued()).isZero();
      assertThatThrownBy(() -> subject.call(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void callsAfterTheKitClosedThrowClosedException() {
      ActorKit closing = ActorKit.create("CallerContractClosing", ActorKit.speed(SPEED));
      Subject subject = subject();
      subject.setUp(closing, "closing");
      closing.close();
      assertThatThrownBy(() -> subject.call(LONG)).isInstanceOf(ClosedException.class);
      assertThat(subject.callAsync(LONG))
          .failsWithin(Duration.ofSeconds(5))
          .withThrowableThat()
          .withCauseInstanceOf(ClosedException.class);
      assertThatThrownBy(subject::anotherCall).isInstanceOf(ClosedException.class);
    }
  }

  /**
   * A LockOwner is one line of control that holds other locks: walking away from one wait withdraws
   * it and keeps the rest.
   */
  @Nested
  class MutexAcquireAsALockOwner extends Contract {
    @Override
    Subject subject() {
      return new Subject() {
        MutexClient mutex;
        MutexClient other;
        MutexClient.Lock holder;
        LockOwner owner;
        MutexClient.Lock kept;
        ActorKit in;

        @Override
        public void setUp(ActorKit kit, String name) {
          in = kit;
          mutex = MutexClient.create(kit, name, Mutex.Settings.defaults());
          other = MutexClient.create(kit, name + "-other", Mutex.Settings.defaults());
          holder = mutex.acquire(LONG);
          owner = LockOwner.create(kit.system(), name + "-owner");
          kept = other.acquire(owner, LONG);
        }

        @Override
        public Object call(Duration timeout) {
          return mutex.acquire(owner, timeout);
        }

        @Override
        public CompletableFuture<?> callAsync(Duration timeout) {
          return mutex.acquireAsync(owner, timeout).toCompletableFuture();
        }

        @Override
        public int queued() {
          return mutex.status().waiters().size();
        }

        @Override
        public void unblock() {
          holder.close();
        }

        @Override
        public void giveBack(Object got) {
          ((MutexClient.Lock) got).close();
        }

        @Override
        public void assertNothingHeldQueuedOrLost() {
          Mutex.Status status = mutex.status();
          assertThat(status.holder()).isNull();
          assertThat(status.waiters()).isEmpty();
          assertThat(other.status().holder()).as("the owner's other lock").isEqualTo(owner.ref());
        }

        @Override
        public boolean zeroTimeoutLeavesOthersAlone() {
          return false; // one owner is one line of control: its calls run one after the other
        }

        @Override
        public Object anotherCall() {
          return LockOwner.create(in.system(), "after-close");
        }
      };
    }
  }

  @Nested
  class SemaphoreAcquire extends Contract {
    @Override
    Subject subject() {
      return new Subject() {
        SemaphoreClient room;
        Permit both;

        @Override
        public void setUp(ActorKit kit, String name) {
          room = SemaphoreClient.create(kit, name, Semaphore.Settings.bounded(2));
          both = room.acquire(2, LONG);
        }

        @Override
        public Object call(Duration timeout) {
          return room.acquire(1, timeout);
        }

        @Override
        public CompletableFuture<?> callAsync(Duration timeout) {
          return room.acquireAsync(1, timeout).toCompletableFuture();
        }

        @Override
        public int queued() {
          return room.status().waiters().size();
        }

        @Override
        public void unblock() {
          both.close();
        }

        @Override
        public void giveBack(Object got) {
          ((Permit) got).close();
        }

        @Override
        public void assertNothingHeldQueuedOrLost() {
          Semaphore.StatusReport status = room.status();
          assertThat(status.available()).isEqualTo(2);
          assertThat(status.holders()).isEmpty();
          assertThat(status.waiters()).isEmpty();
        }

        @Override
        public Object anotherCall() {
          return room.available();
        }
      };
    }
  }

  @Nested
  class ReadWriteLockWrite extends Contract {
    @Override
    Subject subject() {
      return new Subject() {
        ReadWriteLockClient lock;
        ReadWriteLockClient.Hold reader;

        @Override
        public void setUp(ActorKit kit, String name) {
          lock = ReadWriteLockClient.create(kit, name);
          reader = lock.read(LONG);
        }

        @Override
        public Object call(Duration timeout) {
          return lock.write(timeout);
        }

        @Override
        public CompletableFuture<?> callAsync(Duration timeout) {
          return lock.writeAsync(timeout).toCompletableFuture();
        }

        @Override
        public int queued() {
          return lock.status().waiters().size();
        }

        @Override
        public void unblock() {
          reader.close();
        }

        @Override
        public void giveBack(Object got) {
          ((ReadWriteLockClient.Hold) got).close();
        }

        @Override
        public void assertNothingHeldQueuedOrLost() {
          assertThat(lock.status().writer()).isNull();
          assertThat(lock.status().readers()).isEmpty();
          assertThat(lock.status().waiters()).isEmpty();
        }

        @Override
        public Object anotherCall() {
          return lock.status();
        }
      };
    }
  }

  @Nested
  class ReadWriteLockRead extends Contract {
    @Override
    Subject subject() {
      return new Subject() {
        ReadWriteLockClient lock;
        ReadWriteLockClient.Hold writer;

        @Override
        public void setUp(ActorKit kit, String name) {
          lock = ReadWriteLockClient.create(kit, name);
          writer = lock.write(LONG);
        }

        @Override
        public Object call(Duration timeout) {
          return lock.read(timeout);
        }

        @Override
        public CompletableFuture<?> callAsync(Duration timeout) {
          return lock.readAsync(timeout).toCompletableFuture();
        }

        @Override
        public int queued() {
          return lock.status().waiters().size();
        }

        @Override
        public void unblock() {
          writer.close();
        }

        @Override
        public void giveBack(Object got) {
          ((ReadWriteLockClient.Hold) got).close();
        }

        @Override
        public void assertNothingHeldQueuedOrLost() {
          assertThat(lock.status().writer()).isNull();
          assertThat(lock.status().readers()).isEmpty();
          assertThat(lock.status().waiters()).isEmpty();
        }

        @Override
        public Object anotherCall() {
          return lock.read(Duration.ZERO);
        }
      };
    }
  }

  @Nested
  class EventAwait extends Contract {
    @Override
    Subject subject() {
      return new Subject() {
        EventClient event;

        @Override
        public void setUp(ActorKit kit, String name) {
          event = EventClient.create(kit, name);
        }

        @Override
        public Object call(Duration timeout) {
          return event.await(timeout);
        }

        @Override
        public CompletableFuture<?> callAsync(Duration timeout) {
          return event.awaitAsync(timeout).toCompletableFuture();
        }

        @Override
        public int queued() {
          return event.status().waiting();
        }

        @Override
        public void unblock() {
          event.set();
        }

        @Override
        public void giveBack(Object got) {}

        @Override
        public void assertNothingHeldQueuedOrLost() {
          assertThat(event.status().waiting()).isZero();
        }

        @Override
        public boolean timeoutIsFalse() {
          return true;
        }

        @Override
        public Object anotherCall() {
          return event.isSet();
        }
      };
    }
  }

  @Nested
  class LatchAwait extends Contract {
    @Override
    Subject subject() {
      return new Subject() {
        LatchClient latch;

        @Override
        public void setUp(ActorKit kit, String name) {
          latch = LatchClient.create(kit, name, 1);
        }

        @Override
        public Object call(Duration timeout) {
          return latch.await(timeout);
        }

        @Override
        public CompletableFuture<?> callAsync(Duration timeout) {
          return latch.awaitAsync(timeout).toCompletableFuture();
        }

        @Override
        public int queued() {
          return latch.status().waiting();
        }

        @Override
        public void unblock() {
          latch.countDown();
        }

        @Override
        public void giveBack(Object got) {}

        @Override
        public void assertNothingHeldQueuedOrLost() {
          assertThat(latch.status().waiting()).isZero();
        }

        @Override
        public boolean timeoutIsFalse() {
          return true;
        }

        @Override
        public Object anotherCall() {
          return latch.getCount();
        }
      };
    }
  }

  /**
   * A barrier's rule for a party that walks away is a broken barrier for the others; nobody stays
   * waiting.
   */
  @Nested
  class BarrierAwait extends Contract {
    @Override
    Subject subject() {
      return new Subject() {
        BarrierClient barrier;

        @Override
        public void setUp(ActorKit kit, String name) {
          barrier = BarrierClient.create(kit, name, Barrier.Settings.of(2));
        }

        @Override
        public Object call(Duration timeout) {
          return barrier.await(timeout);
        }

        @Override
        public CompletableFuture<?> callAsync(Duration timeout) {
          return barrier.awaitAsync(timeout).toCompletableFuture();
        }

        @Override
        public int queued() {
          return barrier.status().waiting();
        }

        @Override
        public void unblock() {
          barrier.awaitAsync(
              LONG); // the other party arrives; it passes, or hears that the barrier broke
        }

        @Override
        public void giveBack(Object got) {}

        @Override
        public void assertNothingHeldQueuedOrLost() {
          assertThat(barrier.status().waiting()).isZero();
        }

        @Override
        public boolean zeroTimeoutLeavesOthersAlone() {
          return false; // a party that will not wait breaks the barrier, as Python's does
        }

        @Override
        public Object anotherCall() {
          return barrier.reset();
        }
      };
    }
  }

  @Nested
  class BufferTake extends Contract {
    @Override
    Subject subject() {
      return new Subject() {
        BufferClient<String> buffer;
        final AtomicLong expected = new AtomicLong();

        @Override
        public void setUp(ActorKit kit, String name) {
          buffer = BufferClient.create(kit, name, BoundedBuffer.Settings.of(4));
        }

        @Override
        public Object call(Duration timeout) {
          return buffer.take(timeout);
        }

        @Override
        public CompletableFuture<?> callAsync(Duration timeout) {
          return buffer.takeAsync(timeout).toCompletableFuture();
        }

        @Override
        public int queued() {
          return buffer.status().parkedConsumers();
        }

        @Override
        public void unblock() {
          buffer.put("bun");
          expected.incrementAndGet();
        }

        @Override
        public void giveBack(Object got) {
          assertThat(got).isEqualTo("bun");
          expected.decrementAndGet(); // eaten: it is the caller's now
        }

        @Override
        public void assertNothingHeldQueuedOrLost() {
          BoundedBuffer.SizeIs<String> status = buffer.status();
          assertThat(status.size())
              .as("items left for the next consumer")
              .isEqualTo((int) expected.get());
          assertThat(status.inFlight()).isZero();
          assertThat(status.parkedConsumers()).isZero();
        }

        @Override
        public Object anotherCall() {
          return buffer.status();
        }
      };
    }
  }

  @Nested
  class BufferPut extends Contract {
    @Override
    Subject subject() {
      return new Subject() {
        BufferClient<String> buffer;
        final AtomicLong expected = new AtomicLong();

        @Override
        public void setUp(ActorKit kit, String name) {
          buffer = BufferClient.create(kit, name, BoundedBuffer.Settings.of(1));
          buffer.put("first");
          expected.set(1);
        }

        @Override
        public Object call(Duration timeout) {
          buffer.put("second", timeout);
          return "put";
        }

        @Override
        public CompletableFuture<?> callAsync(Duration timeout) {
          return buffer.putAsync("second", timeout).toCompletableFuture();
        }

        @Override
        public int queued() {
          return buffer.status().parkedProducers();
        }

        @Override
        public void unblock() {
          assertThat(buffer.take()).isEqualTo("first");
          expected.decrementAndGet();
        }

        @Override
        public void giveBack(Object got) {
          expected.incrementAndGet(); // the put happened: its item is in the buffer
        }

        @Override
        public void assertNothingHeldQueuedOrLost() {
          BoundedBuffer.SizeIs<String> status = buffer.status();
          assertThat(status.size()).isEqualTo((int) expected.get());
          assertThat(status.parkedProducers()).isZero();
        }

        @Override
        public Object anotherCall() {
          return buffer.size();
        }
      };
    }
  }

  @Nested
  class WorkQueueSubmit extends Contract {
    @Override
    Subject subject() {
      return new Subject() {
        ActorKit in;
        String name;
        WorkQueueClient<String> queue;
        final AtomicLong expected = new AtomicLong();

        @Override
        public void setUp(ActorKit kit, String name) {
          in = kit;
          this.name = name;
          queue = WorkQueueClient.create(kit, name, WorkQueue.Settings.of(String.class, 1));
          queue.submit("first"); // no worker yet: the queue is full
          expected.set(1);
        }

        @Override
        public Object call(Duration timeout) {
          queue.submit("second", timeout);
          return "submitted";
        }

        @Override
        public CompletableFuture<?> callAsync(Duration timeout) {
          return queue.submitAsync("second", timeout).toCompletableFuture();
        }

        @Override
        public int queued() {
          return queue.status().parkedSubmitters();
        }

        @Override
        public void unblock() {
          queue.addWorker(
              "worker",
              job -> CompletableFuture.completedFuture(null)); // takes "first": room for one
        }

        @Override
        public void giveBack(Object got) {
          expected.incrementAndGet(); // the submit happened: its job is in the queue
        }

        @Override
        public void assertNothingHeldQueuedOrLost() {
          WorkQueue.Stats stats = queue.status();
          assertThat(stats.submitted()).isEqualTo(expected.get());
          assertThat(stats.parkedSubmitters()).isZero();
        }

        @Override
        public Object anotherCall() {
          return queue.status();
        }
      };
    }
  }

  @Nested
  class PipeRecv extends Contract {
    @Override
    Subject subject() {
      return new Subject() {
        PipeClient near;
        PipeClient far;
        final AtomicLong expected = new AtomicLong();

        @Override
        public void setUp(ActorKit kit, String name) {
          PipeClient.Ends ends = PipeClient.open(kit, name, true);
          near = ends.first();
          far = ends.second();
        }

        @Override
        public Object call(Duration timeout) {
          return near.recv(timeout);
        }

        @Override
        public CompletableFuture<?> callAsync(Duration timeout) {
          return near.recvAsync(timeout).toCompletableFuture();
        }

        @Override
        public int queued() {
          return near.status().waiting();
        }

        @Override
        public void unblock() {
          far.send("hello");
          expected.incrementAndGet();
        }

        @Override
        public void giveBack(Object got) {
          assertThat(got).isEqualTo("hello");
          expected.decrementAndGet();
        }

        @Override
        public void assertNothingHeldQueuedOrLost() {
          var status = near.status();
          assertThat(status.pending())
              .as("values left for the next recv")
              .isEqualTo((int) expected.get());
          assertThat(status.held()).isZero();
          assertThat(status.waiting()).isZero();
        }

        @Override
        public Object anotherCall() {
          far.send("after close");
          return null;
        }
      };
    }
  }

  @Nested
  class PipePoll extends Contract {
    @Override
    Subject subject() {
      return new Subject() {
        PipeClient near;
        PipeClient far;
        final AtomicLong sent = new AtomicLong();

        @Override
        public void setUp(ActorKit kit, String name) {
          PipeClient.Ends ends = PipeClient.open(kit, name, true);
          near = ends.first();
          far = ends.second();
        }

        @Override
        public Object call(Duration timeout) {
          return near.poll(timeout);
        }

        @Override
        public CompletableFuture<?> callAsync(Duration timeout) {
          return near.pollAsync(timeout).toCompletableFuture();
        }

        @Override
        public int queued() {
          return near.status().waiting();
        }

        @Override
        public void unblock() {
          far.send(1);
          sent.incrementAndGet();
        }

        @Override
        public void giveBack(Object got) {}

        @Override
        public void assertNothingHeldQueuedOrLost() {
          var status = near.status();
          assertThat(status.pending()).isEqualTo((int) sent.get()); // a poll consumes nothing
          assertThat(status.waiting()).isZero();
        }

        @Override
        public boolean timeoutIsFalse() {
          return true;
        }

        @Override
        public Object anotherCall() {
          return near.status();
        }
      };
    }
  }

  // ------------------------------------------------------------------ one client, eight threads

  /**
   * Eight threads share one client of each kind; every one of them is served, and nothing is left
   * over.
   */
  @Nested
  class SharedByEightThreads {

    private static final int THREADS = 8;
    private static final int ROUNDS = 25;

    private void inEightThreads(Runnable round) throws Exception {
      ExecutorService threads = Executors.newFixedThreadPool(THREADS);
      try {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          all.add(
              CompletableFuture.runAsync(
                  () -> {
                    for (int i = 0; i < ROUNDS; i++) {
                      round.run();
                    }
                  },
                  threads));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      } finally {
        threads.shutdownNow();
      }
    }

    @Test
    void aMutexIsHeldByOneThreadAtATime() throws Exception {
      MutexClient mutex =
          MutexClient.create(
              kit, "shared-mutex-" + names.incrementAndGet(), Mutex.Settings.defaults());
      AtomicInteger inside = new AtomicInteger();
      AtomicInteger most = new AtomicInteger();
      inEightThreads(
          () -> {
            try (MutexClient.Lock lock = mutex.acquire(LONG)) {
              most.accumulateAndGet(inside.incrementAndGet(), Math::max);
              inside.decrementAndGet();
            }
          });
      assertThat(most.get()).isEqualTo(1);
      assertThat(mutex.status().holder()).isNull();
      assertThat(mutex.status().waiters()).isEmpty();
    }

    @Test
    void aSemaphoreLetsInAtMostItsPermits() throws Exception {
      SemaphoreClient room =
          SemaphoreClient.create(
              kit, "shared-room-" + names.incrementAndGet(), Semaphore.Settings.bounded(2));
      AtomicInteger inside = new AtomicInteger();
      AtomicInteger most = new AtomicInteger();
      inEightThreads(
          () -> {
            try (Permit permit = room.acquire(1, LONG)) {
              most.accumulateAndGet(inside.incrementAndGet(), Math::max);
              inside.decrementAndGet();
            }
          });
      assertThat(most.get()).isBetween(1, 2);
      assertThat(room.status().available()).isEqualTo(2);
      assertThat(room.status().holders()).isEmpty();
    }

    @Test
    void aBufferHandsEachItemToExactlyOneThread() throws Exception {
      BufferClient<Integer> basket =
          BufferClient.create(
              kit, "shared-basket-" + names.incrementAndGet(), BoundedBuffer.Settings.of(4));
      AtomicInteger next = new AtomicInteger();
      List<Integer> taken = Collections.synchronizedList(new ArrayList<>());
      inEightThreads(
          () -> {
            basket.put(next.incrementAndGet(), LONG);
            taken.add(basket.take(LONG));
          });
      assertThat(taken).hasSize(THREADS * ROUNDS).doesNotHaveDuplicates();
      eventually(
          () -> {
            BoundedBuffer.SizeIs<Integer> status = basket.status();
            assertThat(status.size()).isZero();
            assertThat(status.inFlight())
                .isZero(); // each take's stand-in acknowledges just after its caller has the item
            assertThat(status.parkedConsumers()).isZero();
            assertThat(status.parkedProducers()).isZero();
          });
    }

    @Test
    void aPipeEndHandsEachValueToExactlyOneReceivingThread() throws Exception {
      PipeClient.Ends pipe = PipeClient.open(kit, "shared-pipe-" + names.incrementAndGet(), true);
      List<Object> received = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<Void> sending =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < THREADS * ROUNDS; i++) {
                  pipe.second().send(i);
                }
              });
      inEightThreads(() -> received.add(pipe.first().recv(LONG)));
      sending.get(30, TimeUnit.SECONDS);
      assertThat(received).hasSize(THREADS * ROUNDS).doesNotHaveDuplicates();
      eventually(
          () -> {
            assertThat(pipe.first().status().held()).isZero();
            assertThat(pipe.first().status().pending()).isZero();
          });
    }
  }
}
