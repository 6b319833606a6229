package dev.actorkit.patterns;

import static dev.actorkit.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.errors.BrokenBarrierException;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.patterns.account.Account;
import dev.actorkit.patterns.account.AccountClient;
import dev.actorkit.patterns.account.Bank;
import dev.actorkit.patterns.account.BankClient;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferClient;
import dev.actorkit.patterns.event.Barrier;
import dev.actorkit.patterns.event.BarrierClient;
import dev.actorkit.patterns.event.BroadcastTopicClient;
import dev.actorkit.patterns.event.EventClient;
import dev.actorkit.patterns.manager.SharedListClient;
import dev.actorkit.patterns.manager.SharedMapClient;
import dev.actorkit.patterns.mutex.LockOwner;
import dev.actorkit.patterns.mutex.Mutex;
import dev.actorkit.patterns.mutex.MutexClient;
import dev.actorkit.patterns.pool.TaskFuture;
import dev.actorkit.patterns.pool.WorkerPool;
import dev.actorkit.patterns.pool.WorkerPoolClient;
import dev.actorkit.patterns.semaphore.Permit;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The edges of the client shape that the caller layer promises and the contract does not cover:
 * user code off the actors' threads, bad input refused at once, no call of any client after its kit
 * closed, and the order of a kit's close.
 */
class ClientEdgesTest {

  private static final Duration LONG = Duration.ofSeconds(30);

  private static ActorKit kit;

  @BeforeAll
  static void start() {
    kit = ActorKit.create("ClientEdges");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  // ------------------------------------------------------------------ user code off the actors'
  // threads

  @Test
  void aCallbackThatReleasesThePermitRunsOffTheSemaphoresThreadAndDoesNotStall() throws Exception {
    SemaphoreClient room =
        SemaphoreClient.create(kit, "callback-room", Semaphore.Settings.bounded(1));
    Permit first = room.acquire();
    AtomicReference<String> thread = new AtomicReference<>();
    CompletableFuture<Void> released =
        room.acquireAsync(1, LONG)
            .thenAccept(
                permit -> {
                  thread.set(Thread.currentThread().getName());
                  permit.close(); // blocks for the semaphore's answer: fine here, fatal on the
                  // semaphore's own thread
                })
            .toCompletableFuture();
    first.close(); // the waiting acquire is granted now, after its callback was attached
    released.get(5, TimeUnit.SECONDS); // far below the ask timeout it used to stall for
    assertThat(thread.get()).contains("actorkit.dispatchers.blocking");
    assertThat(room.available()).isEqualTo(1);

    // Granted before the callback is attached: it runs in the attaching thread, never the
    // semaphore's.
    CompletionStage<Permit> granted = room.acquireAsync(1, LONG);
    Permit permit = granted.toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(
            granted.thenApply(p -> Thread.currentThread().getName()).toCompletableFuture().join())
        .doesNotContain("coordination");
    permit.close();
  }

  @Test
  void futuresThePoolCancelsCompleteOffTheCoordinatorsThread() throws Exception {
    WorkerPoolClient pool =
        WorkerPoolClient.create(kit, "callback-pool", WorkerPool.Settings.blocking(1));
    CountDownLatch hold = new CountDownLatch(1);
    pool.submit(
        () -> {
          hold.await(30, TimeUnit.SECONDS);
          return 0;
        });
    List<TaskFuture<Integer>> queued =
        IntStream.range(0, 5).mapToObj(i -> pool.submit(() -> i)).toList();
    List<CompletableFuture<String>> threads =
        queued.stream()
            .map(future -> future.handle((value, failure) -> Thread.currentThread().getName()))
            .toList();
    pool.shutdown(false, true);
    assertThat(queued).allMatch(TaskFuture::cancelled);
    for (CompletableFuture<String> thread : threads) {
      assertThat(thread.get(5, TimeUnit.SECONDS))
          .contains("actorkit.dispatchers.blocking")
          .doesNotContain("coordination");
    }
    hold.countDown();
  }

  @Test
  void aBarrierActionRunsOffTheBarrierAndAnErrorInItBreaksTheGenerationNotTheBarrier() {
    AtomicReference<String> thread = new AtomicReference<>();
    BarrierClient fine =
        BarrierClient.create(
            kit,
            "action-thread",
            Barrier.Settings.of(1).withAction(() -> thread.set(Thread.currentThread().getName())));
    assertThat(fine.await(LONG)).isZero();
    assertThat(thread.get()).contains("actorkit.dispatchers.blocking");

    BarrierClient failing =
        BarrierClient.create(
            kit,
            "action-error",
            Barrier.Settings.of(1)
                .withAction(
                    () -> {
                      throw new AssertionError("the action failed hard");
                    }));
    assertThatThrownBy(() -> failing.await(LONG))
        .isInstanceOf(BrokenBarrierException.class)
        .hasMessageContaining("the action failed hard");
    assertThat(failing.status().broken()).isTrue();
    failing.reset(); // the barrier is alive, only the generation broke
    assertThat(failing.status().broken()).isFalse();
  }

  // ------------------------------------------------------------------ a zero timeout still gets
  // its answer

  @Test
  void aZeroTimeoutOnACallAnsweredAtOnceIsAnsweredAndAppliedOnce() {
    AccountClient account =
        AccountClient.create(kit, "zero-account", Account.Settings.opening(100));
    assertThat(account.deposit("zero-1", 5, Duration.ZERO)).isEqualTo(105);
    assertThat(account.deposit("zero-1", 5, Duration.ZERO))
        .isEqualTo(105); // the retry with the same id applies once
    AccountClient other = AccountClient.create(kit, "zero-other", Account.Settings.opening(0));
    BankClient bank = BankClient.create(kit, "zero-bank", Bank.Settings.defaults());
    assertThat(
            bank.transferAsync("zero-t", account.ref(), other.ref(), 5, Duration.ZERO)
                .toCompletableFuture()
                .join())
        .isEqualTo(new Bank.Transferred("zero-t", 5));
    assertThat(account.balance()).isEqualTo(100);
    assertThat(other.balance()).isEqualTo(5);
  }

  // ------------------------------------------------------------------ what follows a take comes
  // before the caller's next call

  @Test
  void aTakeIsAcknowledgedBeforeTheSameThreadsNextPut() {
    BufferClient<Integer> basket =
        BufferClient.create(kit, "ack-order", BoundedBuffer.Settings.of(1));
    for (int i = 0; i < 200; i++) {
      basket.put(i, Duration.ZERO);
      assertThat(basket.take(Duration.ZERO)).isEqualTo(i);
      // The item was in flight until acknowledged; a zero-timeout put finds room only if the
      // acknowledgement reached the buffer first.
    }
    assertThat(basket.status().inFlight()).isZero();
  }

  @Test
  void anAsyncTakeIsAcknowledgedBeforeItsDependentStageRuns() {
    BufferClient<Integer> basket =
        BufferClient.create(kit, "async-ack-order", BoundedBuffer.Settings.of(1));
    for (int i = 0; i < 200; i++) {
      int item = i;
      basket
          .putAsync(item, Duration.ZERO)
          .thenCompose(accepted -> basket.takeAsync(Duration.ZERO))
          .thenCompose(taken -> basket.putAsync(taken + 1, Duration.ZERO))
          .thenCompose(accepted -> basket.takeAsync(Duration.ZERO))
          .toCompletableFuture()
          .join();
    }
    assertThat(basket.status().size()).isZero();
  }

  @Test
  void aDeliveryReleasedByTheClientRightAfterTheTakeGoesBack() {
    BufferClient<String> basket =
        BufferClient.create(kit, "release-right-after", BoundedBuffer.Settings.of(2));
    for (int i = 0; i < 100; i++) {
      basket.put("job", Duration.ZERO);
      BufferClient.Delivery<String> held = basket.takeDelivery(Duration.ZERO);
      basket.release(); // before the stand-in could have done anything more
      assertThat(basket.takeDelivery(LONG).item())
          .isEqualTo("job"); // back at the head, for the next taker
      basket.release();
      assertThat(held.item()).isEqualTo("job");
      eventually(() -> assertThat(basket.status().size()).isOne());
      basket.take(Duration.ZERO);
    }
  }

  @Test
  void anAcquireClosedAtOnceHandsItsStandInToTheNextCall() {
    SemaphoreClient room = SemaphoreClient.create(kit, "warm-room", Semaphore.Settings.bounded(1));
    Set<Object> owners = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      Permit permit = room.acquire(1, LONG);
      owners.add(permit.owner());
      permit.close();
    }
    assertThat(owners)
        .as("stand-ins used by 300 acquires from one thread")
        .hasSizeLessThanOrEqualTo(3);
    assertThat(room.status().available()).isOne();
  }

  // ------------------------------------------------------------------ bad input, refused at once

  @Test
  void nullsAreRefusedAtOnce() {
    assertThatThrownBy(() -> kit.spawn(Branch.PRIMITIVES, "no-behavior", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> kit.spawn(Branch.PRIMITIVES, "no-options", Behaviors.empty(), null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> EventClient.create(kit, "no-settings", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> BarrierClient.create(kit, "no-settings", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> SemaphoreClient.create(kit, "no-settings", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> MutexClient.create(kit, "no-settings", null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aLockOwnerNameThatIsTakenOrNotAnActorNameIsRefused() {
    try (LockOwner first = LockOwner.create(kit.system(), "cook")) {
      assertThatThrownBy(() -> LockOwner.create(kit.system(), "cook"))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("cook");
      assertThat(first.name()).isEqualTo("cook");
    }
    assertThatThrownBy(() -> LockOwner.create(kit.system(), "kitchen/cook"))
        .isInstanceOf(RejectedException.class);
    assertThatThrownBy(() -> LockOwner.create(kit.system(), " "))
        .isInstanceOf(RejectedException.class);
  }

  @Test
  void aReleaseThatWouldOverflowAnUnboundedSemaphoreIsRefused() {
    SemaphoreClient room =
        SemaphoreClient.create(kit, "unbounded-room", Semaphore.Settings.unbounded(1));
    TestProbe<Semaphore.Reply> probe = TestProbe.create(kit.system());
    room.ref().tell(new Semaphore.Release(Integer.MAX_VALUE, probe.ref(), probe.ref()));
    assertThat(probe.receiveMessage()).isInstanceOf(Semaphore.Rejected.class);
    assertThat(room.status().total()).isEqualTo(1);
    assertThat(room.available()).isEqualTo(1);
  }

  @Test
  void aLockOwnersRequestThatGetsNoAnswerTimesOutAndTheNextGoesAhead() {
    try (ActorKit quick =
            ActorKit.create(
                "ClientEdgesQuick",
                com.typesafe.config.ConfigFactory.parseString("actorkit.caller.margin = 200ms"));
        LockOwner owner = LockOwner.create(quick.system(), "patient")) {
      TestProbe<Mutex.Command> silent = TestProbe.create(quick.system());
      MutexClient mutex = MutexClient.of(silent.ref(), quick.system());
      CompletableFuture<MutexClient.Lock> first =
          mutex.acquireAsync(owner, Duration.ZERO).toCompletableFuture();
      CompletableFuture<MutexClient.Lock> second =
          mutex.acquireAsync(owner, Duration.ZERO).toCompletableFuture();
      assertThat(silent.expectMessageClass(Mutex.TryAcquire.class).owner()).isEqualTo(owner.ref());
      // One call at a time: the second waits for the first, so the next message is the first's
      // Withdraw, not the second's TryAcquire (checked below in that order; no quiet window timed
      // against the 200 ms margin, which starts before this thread sees the first request).
      assertThat(first)
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableThat()
          .withCauseInstanceOf(TimedOutException.class);
      // The first is withdrawn, and the owner goes on once the mutex said so (or did not, in time).
      silent.expectMessageClass(Mutex.Withdraw.class);
      assertThat(silent.expectMessageClass(Mutex.TryAcquire.class, Duration.ofSeconds(10)).owner())
          .isEqualTo(owner.ref());
      assertThat(second).failsWithin(Duration.ofSeconds(10));
    }
  }

  @Test
  void aPrincipalsGrantThatOvertookItsWithdrawalIsGivenBack() {
    MutexClient mutex = MutexClient.create(kit, "overtaken", Mutex.Settings.defaults());
    MutexClient.Lock holder = mutex.acquire(LONG);
    try (LockOwner owner = LockOwner.create(kit.system(), "late-grant")) {
      CompletableFuture<MutexClient.Lock> waiting =
          mutex.acquireAsync(owner, LONG).toCompletableFuture();
      eventually(() -> assertThat(mutex.status().waiters()).containsExactly(owner.ref()));
      holder.close(); // granted to the owner...
      if (!waiting.cancel(true)) { // ...while its caller walks away: withdrawn, or given back
        waiting
            .join()
            .close(); // the grant came first: the future has it, and cancel() had no effect
      }
      eventually(
          () -> {
            Mutex.Status status = mutex.status();
            assertThat(status.holder()).isNull();
            assertThat(status.waiters()).isEmpty();
          });
    }
  }

  // ------------------------------------------------------------------ a closed kit refuses every
  // client at once

  @Test
  void everyClientOfAClosedKitThrowsClosedExceptionAtOnce() {
    ActorKit closing = ActorKit.create("ClientEdgesClosing");
    AccountClient account = AccountClient.create(closing, "account", Account.Settings.opening(10));
    BankClient bank = BankClient.create(closing, "bank", Bank.Settings.defaults());
    SharedMapClient map = SharedMapClient.create(closing, "map");
    SharedListClient list = SharedListClient.create(closing, "list");
    BroadcastTopicClient<String> topic =
        BroadcastTopicClient.create(closing, "topic", String.class);
    BufferClient<String> buffer =
        BufferClient.create(closing, "buffer", BoundedBuffer.Settings.of(1));
    WorkerPoolClient pool =
        WorkerPoolClient.create(closing, "pool", WorkerPool.Settings.blocking(1));
    SemaphoreClient room = SemaphoreClient.create(closing, "room", Semaphore.Settings.bounded(1));
    Permit held = room.acquire();
    closing.close();

    assertThatThrownBy(() -> account.deposit(1)).isInstanceOf(ClosedException.class);
    assertThatThrownBy(account::balance).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> bank.transfer(account.ref(), account.ref(), 1))
        .isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> map.put("k", 1)).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> list.append(1)).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> topic.publish("late")).isInstanceOf(ClosedException.class);
    assertThatThrownBy(topic::subscribers).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> buffer.put("late")).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> LockOwner.create(closing.system(), "late"))
        .isInstanceOf(ClosedException.class);
    assertThat(Callers.get(closing.system()).isClosed()).isTrue();
    held.close(); // what the kit held is gone with it: closing the handle is quietly nothing
    assertThat(held.isReleased()).isTrue();
  }

  // ------------------------------------------------------------------ a kit closes in order

  @Test
  void closingTheKitLetsQueuedTasksUseThePrimitivesBeforeTheyStop() {
    ActorKit closing = ActorKit.create("ClientEdgesInOrder");
    SemaphoreClient room = SemaphoreClient.create(closing, "room", Semaphore.Settings.bounded(2));
    WorkerPoolClient pool =
        WorkerPoolClient.create(closing, "pool", WorkerPool.Settings.blocking(2));
    List<TaskFuture<Integer>> tasks =
        IntStream.range(0, 40)
            .mapToObj(
                i ->
                    pool.submit(
                        () -> {
                          try (Permit permit = room.acquire(1, Duration.ofSeconds(10))) {
                            return i;
                          }
                        }))
            .toList();
    closing.close();
    assertThat(tasks).allSatisfy(task -> assertThat(task.result(Duration.ZERO)).isBetween(0, 39));
  }

  @Test
  void aTaskStillRunningAtTheCloseBoundIsInterruptedAndNoKitThreadOutlivesTheClose() {
    ActorKit closing =
        ActorKit.create(
            "ClientEdgesBound",
            com.typesafe.config.ConfigFactory.parseString(
                "actorkit.shutdown.non-daemon-timeout = 300ms"));
    WorkerPoolClient pool =
        WorkerPoolClient.create(closing, "stuck", WorkerPool.Settings.compute(1));
    CountDownLatch started = new CountDownLatch(1);
    TaskFuture<String> sleeper =
        pool.submit(
            () -> {
              started.countDown();
              Thread.sleep(
                  TimeUnit.MINUTES.toMillis(5)); // far beyond the bound; only an interrupt ends it
              return "slept";
            });
    assertThat(awaitQuietly(started)).isTrue();
    closing.close(); // returns; does not throw
    assertThat(sleeper.isDone()).isTrue();
    assertThat(sleeper.cancelled()).isTrue();
    assertThat(threadsOf("ClientEdgesBound")).isEmpty();
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static List<String> threadsOf(String system) {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(name -> name.startsWith(system + "-"))
        .toList();
  }
}
