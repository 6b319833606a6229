package dev.actorkit.patterns.mutex;

import static dev.actorkit.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.InterruptedWaitException;
import dev.actorkit.core.errors.RejectedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conditions over a mutex: the protocol with probes as owners (who may wait, who is woken in which
 * order, what a waiter gets back), and the plain-Java client with real threads (a basket written
 * the textbook way, timeouts, walking away).
 */
class ConditionTest {

  /**
   * Story time (30 s real at the test's speed 20): a bound on waits for what always comes, long
   * enough that no busy machine outlasts it; a passing test never waits it out.
   */
  private static final Duration WAIT = Duration.ofMinutes(10);

  private static ActorKit kit;
  private static final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  static void start() {
    kit = ActorKit.create("ConditionTest", ActorKit.speed(20));
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  private static MutexClient mutex() {
    return MutexClient.create(
        kit, "cond-mutex-" + names.incrementAndGet(), Mutex.Settings.defaults().reentrant(3));
  }

  // ------------------------------------------------------------------ the protocol

  private static TestProbe<Mutex.Reply> probe() {
    return TestProbe.create(kit.system());
  }

  private static Mutex.Granted acquire(
      ActorRef<Mutex.Command> mutex, TestProbe<Mutex.Reply> owner) {
    mutex.tell(new Mutex.Acquire(owner.ref(), owner.ref()));
    return owner.expectMessageClass(Mutex.Granted.class);
  }

  @Test
  void onlyTheHolderMayWaitOrNotifyAndARefusalChangesNothing() {
    ActorRef<Mutex.Command> mutex = mutex().ref();
    TestProbe<Mutex.Reply> holder = probe();
    TestProbe<Mutex.Reply> other = probe();
    Mutex.Granted granted = acquire(mutex, holder);
    mutex.tell(new Mutex.Await("c", other.ref(), granted.token(), WAIT, other.ref()));
    assertThat(other.expectMessageClass(Mutex.Rejected.class).reason()).contains("only the holder");
    mutex.tell(new Mutex.Notify("c", other.ref(), granted.token(), 1, other.ref()));
    assertThat(other.expectMessageClass(Mutex.Rejected.class).reason()).contains("only the holder");
    mutex.tell(new Mutex.Await("c", holder.ref(), granted.token() + 1, WAIT, holder.ref()));
    assertThat(holder.expectMessageClass(Mutex.Rejected.class).reason()).contains("stale token");
    mutex.tell(new Mutex.Notify("c", holder.ref(), granted.token(), 0, holder.ref()));
    assertThat(holder.expectMessageClass(Mutex.Rejected.class).reason()).contains("at least one");
    mutex.tell(
        new Mutex.Await("c", holder.ref(), granted.token(), Duration.ofSeconds(-1), holder.ref()));
    assertThat(holder.expectMessageClass(Mutex.Rejected.class).reason()).contains("negative");
    TestProbe<Mutex.Reply> status = probe();
    mutex.tell(new Mutex.GetStatus(status.ref()));
    Mutex.Status now = status.expectMessageClass(Mutex.Status.class);
    assertThat(now.holder()).isEqualTo(holder.ref());
    assertThat(now.token()).isEqualTo(granted.token());
    assertThat(now.conditionWaiters()).isEmpty();
  }

  @Test
  void waitersAreWokenFirstComeFirstAndGetTheLockBackAtTheirDepthWithANewToken() {
    ActorRef<Mutex.Command> mutex = mutex().ref();
    TestProbe<Mutex.Reply> a = probe();
    TestProbe<Mutex.Reply> b = probe();
    TestProbe<Mutex.Reply> notifier = probe();
    Mutex.Granted first = acquire(mutex, a);
    mutex.tell(new Mutex.Acquire(a.ref(), a.ref())); // a re-enters: depth 2
    assertThat(a.expectMessageClass(Mutex.Granted.class).depth()).isEqualTo(2);
    mutex.tell(
        new Mutex.Await("ready", a.ref(), first.token(), WAIT, a.ref())); // gives up both levels
    Mutex.Granted second = acquire(mutex, b);
    mutex.tell(new Mutex.Await("ready", b.ref(), second.token(), WAIT, b.ref()));
    Mutex.Granted third = acquire(mutex, notifier);
    mutex.tell(
        new Mutex.Notify(
            "ready", notifier.ref(), third.token(), Integer.MAX_VALUE, notifier.ref()));
    assertThat(notifier.expectMessageClass(Mutex.Notified.class).woken()).isEqualTo(2);
    a.expectNoMessage(Duration.ofMillis(100)); // the notifier still holds the lock
    mutex.tell(new Mutex.Release(notifier.ref(), third.token(), notifier.ref()));
    notifier.expectMessageClass(Mutex.Released.class);
    Mutex.Woken woken = a.expectMessageClass(Mutex.Woken.class);
    assertThat(woken.notified()).isTrue();
    assertThat(woken.depth()).isEqualTo(2);
    assertThat(woken.token()).isGreaterThan(third.token());
    b.expectNoMessage(Duration.ofMillis(100)); // b comes after a
    mutex.tell(new Mutex.Release(a.ref(), woken.token(), a.ref()));
    mutex.tell(new Mutex.Release(a.ref(), woken.token(), a.ref()));
    assertThat(b.expectMessageClass(Mutex.Woken.class).depth()).isEqualTo(1);
  }

  @Test
  void aWaiterWhoseTimeOutPassesGetsTheLockBackNotNotified() {
    ActorRef<Mutex.Command> mutex = mutex().ref();
    TestProbe<Mutex.Reply> a = probe();
    Mutex.Granted granted = acquire(mutex, a);
    mutex.tell(new Mutex.Await("never", a.ref(), granted.token(), Duration.ofMillis(200), a.ref()));
    Mutex.Woken woken = a.expectMessageClass(Mutex.Woken.class, Duration.ofSeconds(3));
    assertThat(woken.notified()).isFalse();
    assertThat(woken.token()).isGreaterThan(granted.token());
  }

  @Test
  void aWaiterThatDiesLeavesTheCondition() {
    ActorRef<Mutex.Command> mutex = mutex().ref();
    TestProbe<Mutex.Reply> doomed = probe();
    TestProbe<Mutex.Reply> notifier = probe();
    Mutex.Granted granted = acquire(mutex, doomed);
    mutex.tell(new Mutex.Await("c", doomed.ref(), granted.token(), WAIT, doomed.ref()));
    Mutex.Granted next = acquire(mutex, notifier); // the waiter gave the lock up
    doomed.stop();
    eventually(
        () -> {
          TestProbe<Mutex.Reply> status = probe();
          mutex.tell(new Mutex.GetStatus(status.ref()));
          assertThat(status.expectMessageClass(Mutex.Status.class).waitingOn("c")).isEmpty();
        });
    mutex.tell(new Mutex.Notify("c", notifier.ref(), next.token(), 1, notifier.ref()));
    assertThat(notifier.expectMessageClass(Mutex.Notified.class).woken()).isZero();
  }

  // ------------------------------------------------------------------ the client

  @Test
  void aBasketWrittenTheTextbookWayLosesNothing() throws Exception {
    MutexClient lock = mutex();
    ConditionClient notFull = lock.condition("not-full");
    ConditionClient notEmpty = lock.condition("not-empty");
    ArrayDeque<Integer> basket =
        new ArrayDeque<>(); // guarded by the mutex: touched only while holding it
    int capacity = 2;
    int items = 60;
    List<Integer> eaten = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger maxInBasket = new AtomicInteger();
    Runnable baker =
        () -> {
          for (int i = 0; i < items / 2; i++) {
            try (MutexClient.Lock held = lock.acquire(WAIT)) {
              while (basket.size() == capacity) {
                notFull.await(held, WAIT);
              }
              basket.addLast(i);
              maxInBasket.accumulateAndGet(basket.size(), Math::max);
              notEmpty.notify(held);
            }
          }
        };
    Runnable eater =
        () -> {
          for (int i = 0; i < items / 2; i++) {
            try (MutexClient.Lock held = lock.acquire(WAIT)) {
              assertThat(notEmpty.awaitUntil(held, () -> !basket.isEmpty(), WAIT)).isTrue();
              eaten.add(basket.removeFirst());
              notFull.notify(held);
            }
          }
        };
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (Runnable role : List.of(baker, baker, eater, eater)) {
      all.add(CompletableFuture.runAsync(role));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertThat(eaten).hasSize(items);
    assertThat(maxInBasket.get()).isLessThanOrEqualTo(capacity);
    assertThat(basket).isEmpty();
    Mutex.Status status = lock.status();
    assertThat(status.holder()).isNull();
    assertThat(status.conditionWaiters()).isEmpty();
  }

  @Test
  void awaitReturnsFalseWhenTheTimeRunsOutAndHoldsTheLockAgainWithANewToken() {
    MutexClient lock = mutex();
    ConditionClient never = lock.condition("never");
    try (MutexClient.Lock held = lock.acquire(WAIT)) {
      long before = held.token();
      assertThat(never.await(held, Duration.ofMillis(200))).isFalse();
      assertThat(held.token()).isGreaterThan(before);
      assertThat(held.isHeld()).isTrue();
      assertThat(lock.status().holder()).isEqualTo(held.owner());
      assertThat(never.awaitUntil(held, () -> false, Duration.ofMillis(200))).isFalse();
    }
    assertThat(lock.status().holder()).isNull();
  }

  @Test
  void notifyingWithoutHoldingTheLockIsRefused() {
    MutexClient lock = mutex();
    ConditionClient c = lock.condition("c");
    MutexClient.Lock released = lock.acquire(WAIT);
    released.close();
    assertThatThrownBy(() -> c.notify(released)).isInstanceOf(RejectedException.class);
    assertThatThrownBy(() -> c.await(released, WAIT)).isInstanceOf(RejectedException.class);
    assertThatThrownBy(() -> mutex().condition("x").notify(lock.acquire(WAIT)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anInterruptedWaiterLeavesTheConditionAndGivesTheLockUp() throws Exception {
    MutexClient lock = mutex();
    ConditionClient c = lock.condition("c");
    AtomicReference<MutexClient.Lock> held = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              held.set(lock.acquire(WAIT));
              try {
                c.await(held.get(), WAIT);
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    waiter.start();
    eventually(() -> assertThat(c.waiting()).isOne());
    waiter.interrupt();
    waiter.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(thrown.get()).isInstanceOf(InterruptedWaitException.class);
    eventually(() -> assertThat(c.waiting()).isZero());
    assertThat(held.get().isHeld()).isFalse();
    held.get().close(); // nothing left to give back
    try (MutexClient.Lock next = lock.acquire(WAIT)) {
      assertThat(c.notify(next)).isZero();
    }
  }

  @Test
  void aLockOwnersLockMayNotifyButNotWait() {
    MutexClient lock = mutex();
    ConditionClient c = lock.condition("c");
    try (LockOwner owner = LockOwner.create(kit.system(), "cond-owner-" + names.incrementAndGet());
        MutexClient.Lock held = lock.acquire(owner, WAIT)) {
      assertThat(c.notify(held)).isZero();
      assertThatThrownBy(() -> c.await(held, WAIT))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("LockOwner");
    }
  }
}
