package dev.actorkit.bench.call;

import dev.actorkit.core.ActorKit;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferClient;
import dev.actorkit.patterns.pipe.PipeClient;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.time.Duration;

/**
 * Plain timed loops over the clients, one call at a time from one thread, in rounds of {@code
 * seconds} (the first round warms up): a semaphore acquire + close, a buffer put + take, and pipe
 * round trips whose far end echoes from {@code recvAsync} callbacks (which run on the kit's
 * blocking dispatcher). It uses only calls that every build of the kit has had, so it can be
 * compiled against an older build to compare the two on the same machine the same hour:
 *
 * <pre>
 * java -cp benchmarks/target/actorkit-benchmarks.jar dev.actorkit.bench.call.CallerLoops 4
 * </pre>
 */
public final class CallerLoops {

  private static final Duration WAIT = Duration.ofMinutes(5);

  private CallerLoops() {}

  public static void main(String[] args) {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 4;
    try (ActorKit kit = ActorKit.create("caller-loops")) {
      SemaphoreClient room = SemaphoreClient.create(kit, "room", Semaphore.Settings.bounded(1));
      BufferClient<Integer> basket =
          BufferClient.create(kit, "basket", BoundedBuffer.Settings.of(16));
      PipeClient.Ends pipe = PipeClient.open(kit, "pipe", true);
      echo(pipe.second());
      for (int round = 0; round < 3; round++) {
        double acquires = rate(seconds, () -> room.acquire(1, WAIT).close());
        double putTakes =
            rate(
                seconds,
                () -> {
                  basket.put(1, WAIT);
                  basket.take(WAIT);
                });
        PipeClient near = pipe.first();
        near.sendAsync(1, WAIT);
        double roundTrips =
            rate(
                seconds,
                () -> {
                  near.recv(WAIT);
                  near.sendAsync(1, WAIT);
                });
        near.recv(WAIT);
        System.out.printf(
            "round %d: semaphore acquire+close %.0f/s, buffer put+take %.0f/s, pipe round trips %.0f/s%n",
            round, acquires, putTakes, roundTrips);
      }
    }
  }

  /**
   * Answers every value that arrives at {@code end} by sending it back, from the receive's
   * callback.
   */
  private static void echo(PipeClient end) {
    end.recvAsync(WAIT)
        .whenComplete(
            (value, failure) -> {
              if (failure == null) {
                end.sendAsync(value, WAIT);
                echo(end);
              }
            });
  }

  private static double rate(long seconds, Runnable operation) {
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    long count = 0;
    while (System.nanoTime() < end) {
      operation.run();
      count++;
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }
}
