package dev.actorkit.patterns.mutex;

import static dev.actorkit.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.errors.DeadlockDetectedException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.patterns.deadlock.DeadlockDetector;
import dev.actorkit.patterns.deadlock.DeadlockDetectors;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plain-Java client on a real kit: handles, owners, timeouts, death release, leases, deadlocks.
 */
class MutexClientTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static ActorKit kit;

  @BeforeAll
  static void start() {
    kit = ActorKit.create("MutexClientTest", ActorKit.speed(10));
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  @Test
  void tryWithResourcesHoldsAndReleases() {
    MutexClient mutex = MutexClient.create(kit, "with-lock", Mutex.Settings.defaults());
    try (MutexClient.Lock lock = mutex.acquire(WAIT)) {
      assertThat(lock.token()).isPositive();
      assertThat(mutex.status().holder()).isEqualTo(lock.owner());
      assertThat(mutex.tryAcquire()).isEmpty();
    }
    assertThat(mutex.status().holder()).isNull();
  }

  @Test
  void tryAcquireGivesUpAfterItsTimeoutAndLeavesTheQueue() {
    MutexClient mutex = MutexClient.create(kit, "busy", Mutex.Settings.defaults());
    try (MutexClient.Lock held = mutex.acquire(WAIT)) {
      assertThat(mutex.tryAcquire(Duration.ofMillis(500))).isEmpty();
      assertThatThrownBy(() -> mutex.acquire(Duration.ofMillis(500)))
          .isInstanceOf(TimedOutException.class);
      assertThat(mutex.status().waiters()).isEmpty();
      assertThat(mutex.status().holder()).isEqualTo(held.owner());
    }
  }

  @Test
  void aClosedOwnersLocksAreReleasedByDeathWatch() {
    MutexClient mutex = MutexClient.create(kit, "orphaned", Mutex.Settings.defaults());
    LockOwner owner = LockOwner.create(kit.system(), "leaves-early");
    MutexClient.Lock lock = mutex.acquire(owner, WAIT);
    owner.close();
    try (MutexClient.Lock next = mutex.acquire(WAIT)) {
      assertThat(next.token()).isGreaterThan(lock.token());
    }
  }

  @Test
  void anOwnersReleaseThatIsLostIsSentAgainSoTheLockDoesNotStayHeld() throws Exception {
    AtomicBoolean dropped = new AtomicBoolean();
    // The mutex loses the first Release it gets (as a node that dies with it would).
    Behavior<Mutex.Command> losing =
        Behaviors.intercept(
            () ->
                new BehaviorInterceptor<Mutex.Command, Mutex.Command>(Mutex.Command.class) {
                  @Override
                  public Behavior<Mutex.Command> aroundReceive(
                      TypedActorContext<Mutex.Command> context,
                      Mutex.Command message,
                      ReceiveTarget<Mutex.Command> target) {
                    if (message instanceof Mutex.Release && dropped.compareAndSet(false, true)) {
                      return Behaviors.same();
                    }
                    return target.apply(context, message);
                  }
                },
            Mutex.create(Mutex.Settings.defaults()));
    MutexClient mutex =
        // a daemon, as every primitive: a non-daemon would hold the kit's close for 10 s
        MutexClient.of(
            kit.spawn(Branch.PRIMITIVES, "loses-a-release", losing, SpawnOptions.daemon()),
            kit.system());
    try (LockOwner owner = LockOwner.create(kit.system(), "keeps-running")) {
      MutexClient.Lock lock = mutex.acquire(owner, WAIT);
      assertThatThrownBy(lock::close).isInstanceOf(TimedOutException.class);
      assertThat(dropped).isTrue();
      eventually(
          () ->
              assertThat(mutex.status().holder())
                  .as("the owner still runs, and holds nothing")
                  .isNull());
    }
  }

  @Test
  void anOwnerReentersAReentrantMutexAndReleasesAsOftenAsItAcquired() {
    MutexClient mutex = MutexClient.create(kit, "rlock", Mutex.Settings.defaults().reentrant(3));
    try (LockOwner owner = LockOwner.create(kit.system(), "reenters")) {
      MutexClient.Lock outer = mutex.acquire(owner, WAIT);
      MutexClient.Lock inner = mutex.acquire(owner, WAIT);
      assertThat(inner.depth()).isEqualTo(2);
      assertThat(inner.token()).isEqualTo(outer.token());
      inner.close();
      assertThat(mutex.status().depth()).isEqualTo(1);
      outer.close();
      assertThat(mutex.status().holder()).isNull();
    }
  }

  @Test
  void aPlainMutexRefusesTheHoldersSecondAcquire() {
    MutexClient mutex = MutexClient.create(kit, "plain", Mutex.Settings.defaults());
    try (LockOwner owner = LockOwner.create(kit.system(), "greedy");
        MutexClient.Lock lock = mutex.acquire(owner, WAIT)) {
      assertThatThrownBy(() -> mutex.acquire(owner, WAIT))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("not reentrant");
    }
  }

  @Test
  void aRevokedHoldIsMarkedAndClosingItIsHarmless() {
    // The lease holds for the second hold too: 5 s of story time (500 ms real here) leaves the
    // checks below time to run before it is revoked as well, on a busy machine.
    MutexClient mutex =
        MutexClient.create(
            kit, "leased", Mutex.Settings.defaults().withLease(Duration.ofSeconds(5)));
    MutexClient.Lock first = mutex.acquire(WAIT);
    try (MutexClient.Lock second = mutex.acquire(WAIT)) {
      assertThat(second.token()).isGreaterThan(first.token());
      first.close();
      assertThat(first.isRevoked()).isTrue();
      assertThat(mutex.status().holder()).isEqualTo(second.owner());
    }
  }

  @Test
  void twoOwnersTakingTwoLocksInOppositeOrderAreToldOfTheDeadlock() throws Exception {
    var detector =
        DeadlockDetectors.forKit(
            kit, DeadlockDetector.Settings.defaults().withInterval(Duration.ofMillis(100)));
    MutexClient knife =
        MutexClient.create(kit, "knife", Mutex.Settings.defaults().withDetector(detector));
    MutexClient pot =
        MutexClient.create(kit, "pot", Mutex.Settings.defaults().withDetector(detector));
    try (LockOwner one = LockOwner.create(kit.system(), "cook-1");
        LockOwner two = LockOwner.create(kit.system(), "cook-2")) {
      MutexClient.Lock knifeHeld = knife.acquire(one, WAIT);
      MutexClient.Lock potHeld = pot.acquire(two, WAIT);
      // These two end by the detector's verdict or a grant, never by their timeout: 5 story
      // minutes (30 s real), so a busy machine cannot turn a detection into a timeout.
      CompletableFuture<MutexClient.Lock> oneWantsPot =
          pot.acquireAsync(one, Duration.ofMinutes(5)).toCompletableFuture();
      CompletableFuture<MutexClient.Lock> twoWantsKnife =
          knife.acquireAsync(two, Duration.ofMinutes(5)).toCompletableFuture();
      CompletableFuture.anyOf(oneWantsPot, twoWantsKnife)
          .handle((any, failure) -> null)
          .get(5, TimeUnit.SECONDS);

      boolean oneFailed = oneWantsPot.isCompletedExceptionally();
      CompletableFuture<MutexClient.Lock> victim = oneFailed ? oneWantsPot : twoWantsKnife;
      CompletableFuture<MutexClient.Lock> survivor = oneFailed ? twoWantsKnife : oneWantsPot;
      Throwable failure = catchFailure(victim);
      assertThat(failure).isInstanceOf(DeadlockDetectedException.class);
      List<String> cycle = ((DeadlockDetectedException) failure).cycle();
      assertThat(cycle).hasSize(4).contains("cook-1", "cook-2", "knife", "pot");
      assertThat(cycle.get(0)).isEqualTo(oneFailed ? "cook-1" : "cook-2");

      (oneFailed ? knifeHeld : potHeld).close();
      MutexClient.Lock got = survivor.get(5, TimeUnit.SECONDS);
      got.close();
      (oneFailed ? potHeld : knifeHeld).close();
    }
  }

  private static Throwable catchFailure(CompletableFuture<?> future) {
    try {
      future.join();
      return null;
    } catch (CompletionException e) {
      return e.getCause();
    }
  }
}
