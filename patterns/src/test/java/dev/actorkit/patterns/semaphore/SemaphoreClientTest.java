package dev.actorkit.patterns.semaphore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The plain-Java facades, on a real clock at speed 100 (a story second is 10 ms). */
class SemaphoreClientTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.create().withSpeed(100);

  private static final Duration LONG = Duration.ofSeconds(300);

  private SemaphoreClient room(int permits) {
    return SemaphoreClient.of(
        testKit.spawn(Semaphore.create(Semaphore.Settings.bounded(permits))), testKit.system());
  }

  @Test
  void tryWithResourcesHoldsAndReleases() {
    SemaphoreClient room = room(2);
    try (Permit p = room.acquire()) {
      assertThat(p.permits()).isEqualTo(1);
      assertThat(room.available()).isEqualTo(1);
      assertThat(room.status().holders())
          .extracting(Semaphore.Holding::owner)
          .containsExactly(p.owner());
    }
    assertThat(room.available()).isEqualTo(2);
  }

  @Test
  void everyPermitCarriesAGreaterTokenThanTheOnesGrantedBefore() {
    SemaphoreClient room = room(2);
    Permit first = room.acquire();
    Permit second = room.acquire();
    assertThat(second.token()).isGreaterThan(first.token());
    first.close();
    try (Permit third = room.acquire()) {
      assertThat(third.token()).isGreaterThan(second.token());
    }
    second.close();
  }

  @Test
  void aTimedOutWaitReturnsEmptyAndLeavesNoWaiter() {
    SemaphoreClient room = room(1);
    try (Permit held = room.acquire(1, LONG)) {
      Optional<Permit> none = room.tryAcquire(1, Duration.ofSeconds(1));
      assertThat(none).isEmpty();
      assertThat(room.tryAcquire()).isEmpty();
      assertThatThrownBy(() -> room.acquire(1, Duration.ofSeconds(1)))
          .isInstanceOf(TimedOutException.class);
      assertThat(room.status().waiters()).isEmpty();
    }
  }

  @Test
  void refusalsBecomeRejectedException() {
    SemaphoreClient room = room(2);
    assertThatThrownBy(() -> room.acquire(3, LONG))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("only 2");
    assertThatThrownBy(() -> room.acquire(0, LONG)).isInstanceOf(RejectedException.class);
    assertThat(room.available()).isEqualTo(2);
  }

  @Test
  void closingTwiceReleasesOnce() {
    SemaphoreClient room = room(2);
    Permit p = room.acquire(2, LONG);
    p.close();
    p.close();
    assertThat(p.isReleased()).isTrue();
    assertThat(room.available()).isEqualTo(2);
  }

  @Test
  void permitsOfAnOwnerThatStopsComeBack() throws Exception {
    SemaphoreClient room = room(1);
    Permit p = room.acquire(1, LONG);
    p.standIn().stop(); // as if the thread that held it had died and its stand-in with it
    Permit next = room.acquireAsync(1, LONG).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(next.permits()).isEqualTo(1);
    next.close();
  }

  @Test
  void readWriteLockClient() {
    ReadWriteLockClient lock =
        ReadWriteLockClient.of(testKit.spawn(ReadWriteLock.create()), testKit.system());
    long lastReadToken;
    try (ReadWriteLockClient.Hold a = lock.read(LONG);
        ReadWriteLockClient.Hold b = lock.read(LONG)) {
      assertThat(lock.status().readers()).containsExactly(a.owner(), b.owner());
      assertThat(b.token()).isGreaterThan(a.token());
      lastReadToken = b.token();
      assertThatThrownBy(() -> lock.write(Duration.ZERO)).isInstanceOf(TimedOutException.class);
    }
    try (ReadWriteLockClient.Hold w = lock.write(LONG)) {
      assertThat(w.isWrite()).isTrue();
      assertThat(w.token()).isGreaterThan(lastReadToken);
      assertThatThrownBy(() -> lock.read(Duration.ofSeconds(1)))
          .isInstanceOf(TimedOutException.class);
      long writeToken = w.token();
      w.downgrade();
      assertThat(w.isWrite()).isFalse();
      assertThat(w.token()).as("a downgrade keeps the token").isEqualTo(writeToken);
      try (ReadWriteLockClient.Hold r = lock.read(LONG)) {
        assertThat(lock.status().readers()).containsExactly(w.owner(), r.owner());
      }
    }
    assertThat(lock.status().readers()).isEmpty();
    assertThat(lock.status().writer()).isNull();
  }
}
