package dev.actorkit.patterns.semaphore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the fencing-token rule of {@link SemaphoreState} and {@link ReadWriteLockState} in their
 * property tests: the grants, at once or from the queue, carry 1, 2, 3, ... in the order they are
 * made.
 */
final class GrantTokens {

  private long last;

  /** Checks that {@code token} is the one after the previous grant's. */
  void expectNext(long token) {
    assertThat(token).as("the token of grant %d", last + 1).isEqualTo(last + 1);
    last = token;
  }
}
