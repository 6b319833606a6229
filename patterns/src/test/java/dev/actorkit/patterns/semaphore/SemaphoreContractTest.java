package dev.actorkit.patterns.semaphore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One contract, two implementations: the {@link SemaphoreClient} and a fair {@code
 * java.util.concurrent.Semaphore}. Whatever a learner expects of {@code Semaphore(2, true)} holds
 * for the actor too.
 */
class SemaphoreContractTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.create().withSpeed(100);

  /** The part of a semaphore the contract speaks about. */
  interface Room {
    Optional<AutoCloseable> tryAcquire(int permits, Duration timeout) throws Exception;

    int available();
  }

  abstract static class Contract {
    abstract Room room(int permits);

    @Test
    void permitsAreCountedOutAndBackIn() throws Exception {
      Room room = room(3);
      AutoCloseable two = room.tryAcquire(2, Duration.ofSeconds(10)).orElseThrow();
      assertThat(room.available()).isEqualTo(1);
      AutoCloseable one = room.tryAcquire(1, Duration.ofSeconds(10)).orElseThrow();
      assertThat(room.available()).isZero();
      two.close();
      one.close();
      assertThat(room.available()).isEqualTo(3);
    }

    @Test
    void aFullRoomTimesTheCallerOut() throws Exception {
      Room room = room(1);
      try (AutoCloseable held = room.tryAcquire(1, Duration.ofSeconds(10)).orElseThrow()) {
        assertThat(room.tryAcquire(1, Duration.ofMillis(500))).isEmpty();
        assertThat(room.tryAcquire(1, Duration.ZERO)).isEmpty();
      }
      assertThat(room.available()).isEqualTo(1);
    }

    @Test
    void aLargerRequestTakesEveryPermitAtOnce() throws Exception {
      Room room = room(2);
      try (AutoCloseable both = room.tryAcquire(2, Duration.ofSeconds(10)).orElseThrow()) {
        assertThat(room.available()).isZero();
      }
      assertThat(room.available()).isEqualTo(2);
    }
  }

  @Nested
  class ActorSemaphore extends Contract {
    @Override
    Room room(int permits) {
      SemaphoreClient client =
          SemaphoreClient.of(
              testKit.spawn(Semaphore.create(Semaphore.Settings.bounded(permits))),
              testKit.system());
      return new Room() {
        @Override
        public Optional<AutoCloseable> tryAcquire(int n, Duration timeout) {
          return client.tryAcquire(n, timeout).map(permit -> permit);
        }

        @Override
        public int available() {
          return client.available();
        }
      };
    }
  }

  @Nested
  class JavaUtilConcurrentSemaphore extends Contract {
    @Override
    Room room(int permits) {
      java.util.concurrent.Semaphore semaphore = new java.util.concurrent.Semaphore(permits, true);
      return new Room() {
        @Override
        public Optional<AutoCloseable> tryAcquire(int n, Duration timeout)
            throws InterruptedException {
          // Story time at speed 100, as the actor sees it.
          long real = timeout.toNanos() / 100;
          return semaphore.tryAcquire(n, real, TimeUnit.NANOSECONDS)
              ? Optional.of(() -> semaphore.release(n))
              : Optional.empty();
        }

        @Override
        public int available() {
          return semaphore.availablePermits();
        }
      };
    }
  }
}
