package dev.actorkit.demos.scenarios;

/**
 * The CPU-bound work of the pool demos: counting primes by trial division, in interleaved slices.
 */
final class Primes {

  private Primes() {}

  /**
   * Primes n below limit with n % slices == slice: interleaved, so every slice costs about the
   * same.
   */
  static long inSlice(int slice, int slices, int limit) {
    long found = 0;
    for (int n = slice; n < limit; n += slices) {
      if (isPrime(n)) {
        found++;
      }
    }
    return found;
  }

  /**
   * Primes in slice {@code slice} of {@code slices} equal ranges of [0, limit): later ranges cost
   * more.
   */
  static long inRange(int slice, int slices, int limit) {
    int from = (int) ((long) limit * slice / slices);
    int to = (int) ((long) limit * (slice + 1) / slices);
    long found = 0;
    for (int n = from; n < to; n++) {
      if (isPrime(n)) {
        found++;
      }
    }
    return found;
  }

  static boolean isPrime(int n) {
    if (n < 2) {
      return false;
    }
    for (int d = 2; (long) d * d <= n; d++) {
      if (n % d == 0) {
        return false;
      }
    }
    return true;
  }
}
