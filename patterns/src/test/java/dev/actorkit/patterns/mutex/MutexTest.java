package dev.actorkit.patterns.mutex;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The mutex's protocol, on manual time: every reply, FIFO order, timeouts, leases, deaths. */
class MutexTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.onManualTime();

  private static final Duration SHORT = Duration.ofSeconds(3);

  private ActorRef<Mutex.Command> mutex(Mutex.Settings settings) {
    return testKit.spawn(Mutex.create(settings));
  }

  private TestProbe<Mutex.Reply> probe() {
    return testKit.createTestProbe(Mutex.Reply.class);
  }

  private Mutex.Granted acquire(ActorRef<Mutex.Command> mutex, TestProbe<Mutex.Reply> owner) {
    mutex.tell(new Mutex.Acquire(owner.ref(), owner.ref()));
    return owner.expectMessageClass(Mutex.Granted.class, SHORT);
  }

  private Mutex.Status status(ActorRef<Mutex.Command> mutex) {
    TestProbe<Mutex.Reply> asker = probe();
    mutex.tell(new Mutex.GetStatus(asker.ref()));
    return asker.expectMessageClass(Mutex.Status.class, SHORT);
  }

  @Test
  void grantsAFreeLockAtOnceAndWaitersInArrivalOrder() {
    ActorRef<Mutex.Command> mutex = mutex(Mutex.Settings.defaults());
    TestProbe<Mutex.Reply> alice = probe();
    TestProbe<Mutex.Reply> bob = probe();
    TestProbe<Mutex.Reply> carol = probe();

    Mutex.Granted first = acquire(mutex, alice);
    mutex.tell(new Mutex.Acquire(bob.ref(), bob.ref()));
    mutex.tell(new Mutex.Acquire(carol.ref(), carol.ref()));
    Mutex.Status status = status(mutex);
    assertThat(status.holder()).isEqualTo(alice.ref());
    assertThat(status.token()).isEqualTo(first.token());
    assertThat(status.waiters()).containsExactly(bob.ref(), carol.ref());
    assertThat(status.heldSince()).isNotNull();
    bob.expectNoMessage(Duration.ofMillis(50));

    mutex.tell(new Mutex.Release(alice.ref(), first.token(), alice.ref()));
    assertThat(alice.expectMessageClass(Mutex.Released.class, SHORT))
        .isEqualTo(new Mutex.Released(first.token(), 0));
    Mutex.Granted second = bob.expectMessageClass(Mutex.Granted.class, SHORT);
    assertThat(second.token()).isGreaterThan(first.token());
    carol.expectNoMessage(Duration.ofMillis(50));

    mutex.tell(new Mutex.Release(bob.ref(), second.token(), bob.ref()));
    bob.expectMessageClass(Mutex.Released.class, SHORT);
    assertThat(carol.expectMessageClass(Mutex.Granted.class, SHORT).token())
        .isGreaterThan(second.token());
  }

  @Test
  void releaseByANonHolderOrWithAStaleTokenIsRejectedAndChangesNothing() {
    ActorRef<Mutex.Command> mutex = mutex(Mutex.Settings.defaults());
    TestProbe<Mutex.Reply> alice = probe();
    TestProbe<Mutex.Reply> mallory = probe();

    mutex.tell(new Mutex.Release(mallory.ref(), 1, mallory.ref()));
    assertThat(mallory.expectMessageClass(Mutex.Rejected.class, SHORT).reason())
        .contains("not held");

    Mutex.Granted held = acquire(mutex, alice);
    mutex.tell(new Mutex.Release(mallory.ref(), held.token(), mallory.ref()));
    assertThat(mallory.expectMessageClass(Mutex.Rejected.class, SHORT).reason())
        .contains("does not hold");
    mutex.tell(new Mutex.Release(alice.ref(), held.token() - 1, alice.ref()));
    assertThat(alice.expectMessageClass(Mutex.Rejected.class, SHORT).reason())
        .contains("stale token");

    Mutex.Status status = status(mutex);
    assertThat(status.holder()).isEqualTo(alice.ref());
    assertThat(status.token()).isEqualTo(held.token());
    assertThat(status.depth()).isEqualTo(1);
  }

  @Test
  void aSecondAcquireByTheHolderOfAPlainMutexIsRejected() {
    ActorRef<Mutex.Command> mutex = mutex(Mutex.Settings.defaults());
    TestProbe<Mutex.Reply> alice = probe();
    acquire(mutex, alice);
    mutex.tell(new Mutex.Acquire(alice.ref(), alice.ref()));
    assertThat(alice.expectMessageClass(Mutex.Rejected.class, SHORT).reason())
        .contains("not reentrant");
    assertThat(status(mutex).depth()).isEqualTo(1);
  }

  @Test
  void aSecondWaitByTheSameOwnerIsRejected() {
    ActorRef<Mutex.Command> mutex = mutex(Mutex.Settings.defaults());
    TestProbe<Mutex.Reply> alice = probe();
    TestProbe<Mutex.Reply> bob = probe();
    acquire(mutex, alice);
    mutex.tell(new Mutex.Acquire(bob.ref(), bob.ref()));
    mutex.tell(new Mutex.Acquire(bob.ref(), bob.ref()));
    assertThat(bob.expectMessageClass(Mutex.Rejected.class, SHORT).reason())
        .contains("already waiting");
    assertThat(status(mutex).waiters()).containsExactly(bob.ref());
  }

  @Test
  void tryAcquireTimesOutAndLeavesTheQueue() {
    ActorRef<Mutex.Command> mutex = mutex(Mutex.Settings.defaults());
    TestProbe<Mutex.Reply> alice = probe();
    TestProbe<Mutex.Reply> bob = probe();
    TestProbe<Mutex.Reply> carol = probe();
    Mutex.Granted held = acquire(mutex, alice);

    mutex.tell(new Mutex.TryAcquire(bob.ref(), Duration.ofSeconds(2), bob.ref()));
    mutex.tell(new Mutex.Acquire(carol.ref(), carol.ref()));
    assertThat(status(mutex).waiters()).containsExactly(bob.ref(), carol.ref());
    testKit.manualTime().timePasses(Duration.ofMillis(1999));
    bob.expectNoMessage(Duration.ofMillis(20));
    testKit.manualTime().timePasses(Duration.ofMillis(1));
    assertThat(bob.expectMessageClass(Mutex.TimedOut.class, SHORT).waited())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(status(mutex).waiters()).containsExactly(carol.ref());

    mutex.tell(new Mutex.Release(alice.ref(), held.token(), alice.ref()));
    carol.expectMessageClass(Mutex.Granted.class, SHORT);
  }

  @Test
  void tryAcquireWithAZeroTimeoutTakesOnlyAFreeLockAndANegativeOneIsRejected() {
    ActorRef<Mutex.Command> mutex = mutex(Mutex.Settings.defaults());
    TestProbe<Mutex.Reply> alice = probe();
    TestProbe<Mutex.Reply> bob = probe();
    mutex.tell(new Mutex.TryAcquire(alice.ref(), Duration.ZERO, alice.ref()));
    alice.expectMessageClass(Mutex.Granted.class, SHORT);
    mutex.tell(new Mutex.TryAcquire(bob.ref(), Duration.ZERO, bob.ref()));
    assertThat(bob.expectMessageClass(Mutex.TimedOut.class, SHORT).waited()).isZero();
    mutex.tell(new Mutex.TryAcquire(bob.ref(), Duration.ofSeconds(-1), bob.ref()));
    bob.expectMessageClass(Mutex.Rejected.class, SHORT);
    assertThat(status(mutex).waiters()).isEmpty();
  }

  @Test
  void aGrantedTryAcquireDoesNotTimeOutLater() {
    ActorRef<Mutex.Command> mutex = mutex(Mutex.Settings.defaults());
    TestProbe<Mutex.Reply> alice = probe();
    TestProbe<Mutex.Reply> bob = probe();
    Mutex.Granted held = acquire(mutex, alice);
    mutex.tell(new Mutex.TryAcquire(bob.ref(), Duration.ofSeconds(2), bob.ref()));
    status(mutex);
    mutex.tell(new Mutex.Release(alice.ref(), held.token(), alice.ref()));
    bob.expectMessageClass(Mutex.Granted.class, SHORT);
    testKit.manualTime().timePasses(Duration.ofSeconds(5));
    bob.expectNoMessage(Duration.ofMillis(50));
    assertThat(status(mutex).holder()).isEqualTo(bob.ref());
  }

  @Test
  void theHoldersDeathReleasesTheLockAndTheNextWaiterIsGrantedAtOnce() {
    ActorRef<Mutex.Command> mutex = mutex(Mutex.Settings.defaults());
    TestProbe<Mutex.Reply> alice = probe();
    TestProbe<Mutex.Reply> bob = probe();
    Mutex.Granted held = acquire(mutex, alice);
    mutex.tell(new Mutex.Acquire(bob.ref(), bob.ref()));
    status(mutex);

    alice.stop();
    Mutex.Granted next = bob.expectMessageClass(Mutex.Granted.class, SHORT);
    assertThat(next.token()).isGreaterThan(held.token());
    assertThat(status(mutex).holder()).isEqualTo(bob.ref());
  }

  @Test
  void aWaiterThatDiesLeavesTheQueue() {
    ActorRef<Mutex.Command> mutex = mutex(Mutex.Settings.defaults());
    TestProbe<Mutex.Reply> alice = probe();
    TestProbe<Mutex.Reply> bob = probe();
    TestProbe<Mutex.Reply> carol = probe();
    Mutex.Granted held = acquire(mutex, alice);
    mutex.tell(new Mutex.TryAcquire(bob.ref(), Duration.ofSeconds(10), bob.ref()));
    mutex.tell(new Mutex.Acquire(carol.ref(), carol.ref()));
    status(mutex);

    bob.stop();
    TestProbe<Mutex.Reply> watcher = probe();
    watcher.awaitAssert(
        SHORT,
        () -> {
          assertThat(status(mutex).waiters()).containsExactly(carol.ref());
          return null;
        });
    mutex.tell(new Mutex.Release(alice.ref(), held.token(), alice.ref()));
    carol.expectMessageClass(Mutex.Granted.class, SHORT);
    testKit.manualTime().timePasses(Duration.ofSeconds(11));
    assertThat(status(mutex).holder()).isEqualTo(carol.ref());
  }

  @Test
  void aHoldPastItsLeaseIsRevokedAndTheNextWaiterGranted() {
    ActorRef<Mutex.Command> mutex =
        mutex(Mutex.Settings.defaults().withLease(Duration.ofSeconds(5)));
    TestProbe<Mutex.Reply> alice = probe();
    TestProbe<Mutex.Reply> bob = probe();
    Mutex.Granted held = acquire(mutex, alice);
    mutex.tell(new Mutex.Acquire(bob.ref(), bob.ref()));
    status(mutex);

    testKit.manualTime().timePasses(Duration.ofMillis(4999));
    alice.expectNoMessage(Duration.ofMillis(20));
    testKit.manualTime().timePasses(Duration.ofMillis(1));
    Mutex.Revoked revoked = alice.expectMessageClass(Mutex.Revoked.class, SHORT);
    assertThat(revoked.token()).isEqualTo(held.token());
    assertThat(revoked.mutex()).isEqualTo(mutex);
    Mutex.Granted next = bob.expectMessageClass(Mutex.Granted.class, SHORT);
    assertThat(next.token()).isGreaterThan(held.token());

    mutex.tell(new Mutex.Release(alice.ref(), held.token(), alice.ref()));
    alice.expectMessageClass(Mutex.Rejected.class, SHORT);
    mutex.tell(new Mutex.Release(bob.ref(), next.token(), bob.ref()));
    bob.expectMessageClass(Mutex.Released.class, SHORT);
    testKit.manualTime().timePasses(Duration.ofSeconds(6));
    bob.expectNoMessage(Duration.ofMillis(20));
  }

  @Test
  void aReentrantMutexCountsNestedHoldsUpToItsDepth() {
    ActorRef<Mutex.Command> mutex = mutex(Mutex.Settings.defaults().reentrant(2));
    TestProbe<Mutex.Reply> alice = probe();
    TestProbe<Mutex.Reply> bob = probe();
    Mutex.Granted outer = acquire(mutex, alice);
    Mutex.Granted inner = acquire(mutex, alice);
    assertThat(inner).isEqualTo(new Mutex.Granted(outer.token(), 2));
    mutex.tell(new Mutex.Acquire(alice.ref(), alice.ref()));
    assertThat(alice.expectMessageClass(Mutex.Rejected.class, SHORT).reason()).contains("2 times");
    mutex.tell(new Mutex.Acquire(bob.ref(), bob.ref()));

    mutex.tell(new Mutex.Release(alice.ref(), outer.token(), alice.ref()));
    assertThat(alice.expectMessageClass(Mutex.Released.class, SHORT).remainingDepth()).isEqualTo(1);
    bob.expectNoMessage(Duration.ofMillis(50));
    mutex.tell(new Mutex.Release(alice.ref(), outer.token(), alice.ref()));
    assertThat(alice.expectMessageClass(Mutex.Released.class, SHORT).remainingDepth()).isZero();
    bob.expectMessageClass(Mutex.Granted.class, SHORT);
  }

  @Test
  void tokensStrictlyIncreaseAcross10000Grants() {
    ActorRef<Mutex.Command> mutex = mutex(Mutex.Settings.defaults());
    TestProbe<Mutex.Reply> alice = probe();
    TestProbe<Mutex.Reply> bob = probe();
    long last = 0;
    for (int i = 0; i < 10_000; i++) {
      TestProbe<Mutex.Reply> owner = i % 2 == 0 ? alice : bob;
      Mutex.Granted granted = acquire(mutex, owner);
      assertThat(granted.token()).isGreaterThan(last);
      last = granted.token();
      mutex.tell(new Mutex.Release(owner.ref(), granted.token(), owner.ref()));
      owner.expectMessageClass(Mutex.Released.class, SHORT);
    }
  }
}
