package dev.actorkit.patterns.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorRef;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.patterns.pool.WorkerPool;
import dev.actorkit.patterns.pool.WorkerPoolClient;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The buns as a stream whose baking runs on a worker pool: order kept, work on the pool's threads.
 */
class BufferStreamsOnPoolTest {

  @Test
  void mapAsyncRunsTheWorkOnThePoolAndKeepsOrder() throws Exception {
    try (ActorKit kit = ActorKit.create("BufferStreamsOnPoolTest");
        WorkerPoolClient ovens =
            WorkerPoolClient.start(kit, "ovens", WorkerPool.Settings.blocking(3))) {
      ActorRef<BoundedBuffer.Command<String>> basket =
          kit.spawn(
              Branch.PRIMITIVES,
              "basket",
              BoundedBuffer.<String>create(BoundedBuffer.Settings.of(5)),
              SpawnOptions.daemon());
      Set<String> bakers = ConcurrentHashMap.newKeySet();
      var eaten = BufferStreams.source(basket, 2).runWith(Sink.seq(), kit.system());
      Source.range(1, 200)
          .via(
              BufferStreams.mapAsync(
                  3,
                  ovens,
                  (Integer n) -> {
                    bakers.add(Thread.currentThread().getName());
                    return "bun " + n;
                  }))
          .runWith(BufferStreams.sink(basket, 4), kit.system())
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      BufferClient.of(basket, kit.system()).close();
      List<String> buns = eaten.toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(buns).isEqualTo(IntStream.rangeClosed(1, 200).mapToObj(n -> "bun " + n).toList());
      assertThat(bakers).allMatch(name -> name.contains("actorkit.dispatchers.blocking"));
    }
  }
}
