package dev.actorkit.patterns.buffer;

import static dev.actorkit.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A buffer between two streams: backpressure through it, order kept, completion on close. */
class BufferStreamsTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.create();

  @Test
  void aSinkAndASourceMoveEveryItemInOrderThroughASmallBuffer() throws Exception {
    ActorRef<BoundedBuffer.Command<Integer>> buffer =
        testKit.spawn(BoundedBuffer.<Integer>create(BoundedBuffer.Settings.of(5)));
    CompletionStage<List<Integer>> out =
        BufferStreams.source(buffer, 4).runWith(Sink.seq(), testKit.system());
    CompletionStage<Done> in =
        Source.range(1, 2_000).runWith(BufferStreams.sink(buffer, 16), testKit.system());
    in.toCompletableFuture().get(20, TimeUnit.SECONDS);
    BufferClient.of(buffer, testKit.system()).close();
    List<Integer> got = out.toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertThat(got).isEqualTo(IntStream.rangeClosed(1, 2_000).boxed().collect(Collectors.toList()));
    BufferClient<Integer> client = BufferClient.of(buffer, testKit.system());
    assertThat(client.status().highWater()).isLessThanOrEqualTo(5);
  }

  @Test
  void twoProducersKeepTheirOwnOrder() throws Exception {
    ActorRef<BoundedBuffer.Command<String>> buffer =
        testKit.spawn(BoundedBuffer.<String>create(BoundedBuffer.Settings.of(3)));
    CompletionStage<List<String>> out =
        BufferStreams.source(buffer, 2).runWith(Sink.seq(), testKit.system());
    CompletionStage<Done> a =
        Source.range(0, 299)
            .map(i -> "a" + i)
            .runWith(BufferStreams.sink(buffer, 5), testKit.system());
    CompletionStage<Done> b =
        Source.range(0, 299)
            .map(i -> "b" + i)
            .runWith(BufferStreams.sink(buffer, 5), testKit.system());
    CompletableFuture.allOf(a.toCompletableFuture(), b.toCompletableFuture())
        .get(20, TimeUnit.SECONDS);
    BufferClient.of(buffer, testKit.system()).close();
    List<String> got = out.toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertThat(got).hasSize(600);
    for (String p : List.of("a", "b")) {
      List<Integer> seqs =
          got.stream()
              .filter(s -> s.startsWith(p))
              .map(s -> Integer.parseInt(s.substring(1)))
              .toList();
      assertThat(seqs).isEqualTo(IntStream.range(0, 300).boxed().toList());
    }
  }

  @Test
  void atLeastOnceASourceAcknowledgesWhatItTakesSoNothingComesTwice() throws Exception {
    ActorRef<BoundedBuffer.Command<Integer>> buffer =
        testKit.spawn(
            BoundedBuffer.<Integer>create(BoundedBuffer.Settings.of(4).withAtLeastOnce(true)));
    CompletionStage<List<Integer>> out =
        BufferStreams.source(buffer, 3).runWith(Sink.seq(), testKit.system());
    Source.range(1, 500)
        .runWith(BufferStreams.sink(buffer, 8), testKit.system())
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
    BufferClient<Integer> client = BufferClient.of(buffer, testKit.system());
    client.close();
    assertThat(out.toCompletableFuture().get(20, TimeUnit.SECONDS))
        .isEqualTo(IntStream.rangeClosed(1, 500).boxed().toList());
    assertThat(client.status().inFlight()).isZero();
  }

  @Test
  void aSinkIntoAClosedBufferFailsWithRejected() {
    ActorRef<BoundedBuffer.Command<Integer>> buffer =
        testKit.spawn(BoundedBuffer.<Integer>create(BoundedBuffer.Settings.of(2)));
    BufferClient.of(buffer, testKit.system()).close();
    CompletionStage<Done> in =
        Source.range(1, 3).runWith(BufferStreams.sink(buffer, 2), testKit.system());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> in.toCompletableFuture().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(dev.actorkit.core.errors.RejectedException.class);
  }

  @Test
  void mapAsyncRunsWorkOnTheGivenExecutorAndKeepsOrder() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Integer> got =
          Source.range(1, 50)
              .via(BufferStreams.<Integer, Integer>mapAsync(4, pool, i -> i * i))
              .runWith(Sink.seq(), testKit.system())
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      assertThat(got).isEqualTo(IntStream.rangeClosed(1, 50).map(i -> i * i).boxed().toList());
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest(name = "at least once: {0}")
  @ValueSource(booleans = {false, true})
  void aSourceThatIsCancelledPutsBackWhatItTookAndDidNotEmitInOrder(boolean atLeastOnce)
      throws Exception {
    ActorRef<BoundedBuffer.Command<Integer>> buffer =
        testKit.spawn(
            BoundedBuffer.<Integer>create(
                BoundedBuffer.Settings.of(200).withAtLeastOnce(atLeastOnce)));
    BufferClient<Integer> client = BufferClient.of(buffer, testKit.system());
    for (int i = 1; i <= 200; i++) {
      client.put(i);
    }
    // A batch of 64 per request and two requests in flight: the source holds up to 128 when
    // take(10) cancels it.
    List<Integer> first =
        BufferStreams.source(buffer, 64)
            .take(10)
            .runWith(Sink.seq(), testKit.system())
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertThat(first).isEqualTo(IntStream.rangeClosed(1, 10).boxed().toList());
    eventually(() -> assertThat(client.status().inFlight()).isZero());
    assertThat(client.status().size()).isEqualTo(190);
    client.close();
    List<Integer> rest =
        BufferStreams.source(buffer, 64)
            .runWith(Sink.seq(), testKit.system())
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertThat(rest).isEqualTo(IntStream.rangeClosed(11, 200).boxed().toList());
  }

  @Test
  void aSourceThatFailsDownstreamPutsBackWhatItDidNotEmit() throws Exception {
    ActorRef<BoundedBuffer.Command<Integer>> buffer =
        testKit.spawn(BoundedBuffer.<Integer>create(BoundedBuffer.Settings.of(50)));
    BufferClient<Integer> client = BufferClient.of(buffer, testKit.system());
    for (int i = 1; i <= 50; i++) {
      client.put(i);
    }
    CompletionStage<Done> failed =
        BufferStreams.source(buffer, 8)
            .map(
                i -> {
                  if (i == 5) {
                    throw new IllegalStateException("item 5 is bad");
                  }
                  return i;
                })
            .runWith(Sink.ignore(), testKit.system());
    assertThat(failed.toCompletableFuture()).failsWithin(Duration.ofSeconds(20));
    // 1 to 4 were emitted, 5 was emitted and failed the stream downstream: the rest is back.
    eventually(() -> assertThat(client.status().inFlight()).isZero());
    assertThat(client.take(Duration.ZERO)).isEqualTo(6);
    assertThat(client.status().size()).isEqualTo(44);
  }
}
