package dev.actorkit.demos.scenarios;

import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.patterns.pool.WorkerPool;
import dev.actorkit.patterns.pool.WorkerPoolClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Python's {@code executor.map(fn, items, timeout=..., chunksize=...)}: ordered results, and a
 * timeout that one slow item trips.
 */
public final class PoolMapScenario implements Scenario {

  @Override
  public String name() {
    return "pool-map";
  }

  @Override
  public String title() {
    return "map() with chunks: results in input order, and a timeout that one slow item trips";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.integer("items", 10, "how many items to map").atLeast(1),
        ScenarioOption.integer("chunk", 3, "items per task (Python's chunksize)").atLeast(1),
        ScenarioOption.integer("workers", 3, "workers in the pool").atLeast(1),
        ScenarioOption.integer("slow-item", 7, "the item that takes far too long in the second map")
            .atLeast(0),
        ScenarioOption.seconds("timeout", 3, "map's timeout in the second map (story seconds)")
            .above(0));
  }

  @Override
  public void check(Map<String, Object> options) {
    if ((Integer) options.get("slow-item") >= (Integer) options.get("items")) {
      throw new IllegalArgumentException(
          "--slow-item must be one of the items: below --items ("
              + options.get("items")
              + "), was "
              + options.get("slow-item"));
    }
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    Story story = context.story();
    int items = context.intOption("items");
    int chunk = context.intOption("chunk");
    int slowItem = context.intOption("slow-item");
    Duration timeout = context.secondsOption("timeout");
    List<Integer> inputs = IntStream.range(0, items).boxed().toList();
    // Later items are quicker, so chunks finish out of order and map has to put them back in order.
    Duration unit = Duration.ofMillis(100);

    boolean inOrder;
    boolean timedOut = false;
    int beforeTimeout = 0;
    try (WorkerPoolClient pool =
        WorkerPoolClient.start(
            context.kit(), "mapper", WorkerPool.Settings.blocking(context.intOption("workers")))) {
      story.section("map(square, items, chunksize=" + chunk + ")");
      story.note(
          "Each task squares %d items; item n takes (%d - n) x 0.1s, so later chunks finish first.",
          chunk, items);
      Iterator<Integer> squares =
          pool.map(
              n -> {
                pauseQuietly(context, unit.multipliedBy(items - n));
                story.say(
                    "  worker %s squared %d",
                    Thread.currentThread().getName().replaceAll(".*-", "#"), n);
                return n * n;
              },
              inputs,
              Duration.ofSeconds(60),
              chunk);
      List<Integer> results = new ArrayList<>();
      squares.forEachRemaining(
          square -> {
            results.add(square);
            story.say("main receives %d", square);
          });
      inOrder = results.equals(inputs.stream().map(n -> n * n).toList());
      story.note(
          "The results come back in input order (%s), whatever order the workers finished in.",
          inOrder ? "they did" : "THEY DID NOT");

      story.section(
          "map(..., timeout="
              + timeout.toMillis() / 1000.0
              + "s) where item "
              + slowItem
              + " takes 60s");
      Iterator<Integer> results2 =
          pool.map(
              n -> {
                pauseQuietly(context, n == slowItem ? Duration.ofSeconds(60) : unit);
                return n * n;
              },
              inputs,
              timeout,
              chunk);
      try {
        while (results2.hasNext()) {
          int square = results2.next();
          beforeTimeout++;
          story.say("main receives %d", square);
        }
      } catch (TimedOutException e) {
        timedOut = true;
        story.say(
            "TimeoutError: the next result was not there %.1fs after map() was called",
            timeout.toMillis() / 1000.0);
        story.note(
            "The unfinished tasks were cancelled; the slow one was interrupted on its blocking-dispatcher thread.");
      }
    }
    return ScenarioResult.of(inOrder && timedOut)
        .with("items", items)
        .with("chunk", chunk)
        .with("results_in_order", inOrder)
        .with("results_before_timeout", beforeTimeout)
        .with("timed_out", timedOut);
  }

  private static void pauseQuietly(ScenarioContext context, Duration storyTime) {
    try {
      context.pause(storyTime);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("cancelled while working", e);
    }
  }
}
