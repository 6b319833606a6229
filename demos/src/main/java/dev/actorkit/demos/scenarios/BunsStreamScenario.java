package dev.actorkit.demos.scenarios;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.stream.KillSwitches;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.KitClock;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.demos.scenarios.Buns.Bun;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferClient;
import dev.actorkit.patterns.buffer.BufferStreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The buns story as Akka Streams: each baker is a stream that ends in the basket's {@code Sink},
 * each eater a stream that starts at its {@code Source}; backpressure runs through the basket.
 */
public final class BunsStreamScenario implements Scenario {

  private static final Duration PATIENCE = Duration.ofMinutes(10);

  @Override
  public String name() {
    return "buns-stream";
  }

  @Override
  public String title() {
    return "The buns story as Akka Streams: a BoundedBuffer as Sink and Source, backpressure end to end";
  }

  @Override
  public List<ScenarioOption> options() {
    return new BunsScenario().options();
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    int items = context.intOption("items");
    int capacity = context.intOption("capacity");
    int producers = context.intOption("producers");
    int consumers = context.intOption("consumers");
    Duration bake = context.secondsOption("bake");
    Duration eat = context.secondsOption("eat");
    ActorKit kit = context.kit();
    ActorSystem<?> system = kit.system();
    KitClock clock = kit.clock();
    Story story = context.story();

    story.section("With Akka Streams through a BoundedBuffer");
    story.note(
        "Each baker is a stream: bake (a mapAsync stage), then BufferStreams.sink(basket). Each eater is a");
    story.note(
        "stream: BufferStreams.source(basket), then eat (a mapAsync stage). When the basket is full its sink");
    story.note(
        "stops pulling, so the baking stage is not asked for another bun: backpressure, with no thread blocked.");
    story.note(
        "%d bakers, %d eaters, a basket of %d, %d buns in all.",
        producers, consumers, capacity, items);

    BufferClient<Bun> basket =
        BufferClient.create(kit, "basket", BoundedBuffer.Settings.of(capacity));

    UniqueKillSwitch monitor =
        Source.tick(Duration.ZERO, clock.toReal(bake.dividedBy(2)), "look")
            .mapAsync(1, look -> basket.statusAsync())
            .map(BoundedBuffer.SizeIs::size)
            .statefulMap(
                () -> -1,
                (last, level) -> {
                  if (level != last) {
                    story.say("the basket now                %s", Buns.basket(level, capacity));
                  }
                  return akka.japi.Pair.create(level, level);
                },
                last -> java.util.Optional.empty())
            .viaMat(KillSwitches.single(), Keep.right())
            .to(Sink.ignore())
            .run(system);

    AtomicLong produced = new AtomicLong();
    List<CompletableFuture<Done>> bakers = new ArrayList<>();
    for (int b = 1; b <= producers; b++) {
      int baker = b;
      int share = Buns.share(items, producers, baker);
      CompletionStage<Done> done =
          Source.range(1, share)
              .via(
                  BufferStreams.mapAsync(
                      1, (Integer seq) -> later(clock, bake, () -> new Bun(baker, seq))))
              .map(
                  bun -> {
                    produced.incrementAndGet();
                    story.say(
                        "baker-%d has baked %s; the sink offers it to the basket", baker, bun);
                    return bun;
                  })
              .runWith(BufferStreams.sink(basket.ref(), 4), system);
      bakers.add(done.toCompletableFuture());
    }

    List<List<Bun>> eaten = new ArrayList<>();
    List<CompletableFuture<Done>> eaters = new ArrayList<>();
    for (int e = 1; e <= consumers; e++) {
      int eater = e;
      List<Bun> mine = new CopyOnWriteArrayList<>();
      eaten.add(mine);
      CompletionStage<Done> done =
          BufferStreams.source(basket.ref(), 1)
              .map(
                  bun -> {
                    story.say("eater-%d takes %s out of the basket", eater, bun);
                    return bun;
                  })
              .via(BufferStreams.mapAsync(1, (Bun bun) -> later(clock, eat, () -> bun)))
              .runWith(Sink.foreach(mine::add), system);
      eaters.add(done.toCompletableFuture());
    }

    long patience =
        clock
            .toReal(context.patience(PATIENCE, items, bake.plus(eat)))
            .toMillis(); // also below the timer tick
    CompletableFuture.allOf(bakers.toArray(CompletableFuture[]::new))
        .get(patience, TimeUnit.MILLISECONDS);
    story.say("every baker's stream has completed: all its buns are in the basket; close() it");
    basket.close();
    CompletableFuture.allOf(eaters.toArray(CompletableFuture[]::new))
        .get(patience, TimeUnit.MILLISECONDS);
    story.say(
        "every eater's stream has completed: the basket's source ends once it is closed and empty");
    monitor.shutdown();
    BoundedBuffer.SizeIs<Bun> end = basket.status();
    AtomicInteger max = new AtomicInteger(end.highWater());

    Map<String, Object> figures = Buns.tally(producers, produced.get(), eaten, max.get(), capacity);
    boolean ok = (Boolean) figures.remove("ok") && end.size() == 0;
    story.note("streams: %s", figures);
    ScenarioResult result = ScenarioResult.of(ok);
    figures.forEach(result::with);
    return result;
  }

  /**
   * A stage that completes with {@code value} after {@code story} time: baking or eating, without a
   * sleeping thread.
   */
  private static <T> CompletionStage<T> later(KitClock clock, Duration story, Supplier<T> value) {
    return CompletableFuture.supplyAsync(
        value,
        CompletableFuture.delayedExecutor(clock.toReal(story).toNanos(), TimeUnit.NANOSECONDS));
  }
}
