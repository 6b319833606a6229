package dev.actorkit.demos.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitClock;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.demos.ThreadsTrace;
import dev.actorkit.demos.scenarios.Buns.Bun;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * The producer/consumer classic: bakers put buns into a basket that holds a few, eaters take them
 * out. First with threads and Python's {@code queue.Queue(maxsize)} as CPython writes it (a deque,
 * one lock, two conditions: {@code ArrayBlockingQueue} is built the same way), then with actors and
 * a {@link BoundedBuffer}.
 */
public final class BunsScenario implements Scenario {

  private static final Duration PATIENCE = Duration.ofMinutes(10);

  @Override
  public String name() {
    return "buns";
  }

  @Override
  public String title() {
    return "Bakers and eaters share a small basket: queue.Queue(maxsize) with threads, then a BoundedBuffer actor";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.integer("items", 16, "how many buns are baked in all").atLeast(1),
        ScenarioOption.integer("capacity", 5, "how many buns the basket holds").atLeast(1),
        ScenarioOption.integer("producers", 2, "how many bakers").atLeast(1),
        ScenarioOption.integer("consumers", 2, "how many eaters").atLeast(1),
        ScenarioOption.seconds("bake", 0.5, "seconds (story time) to bake one bun").above(0),
        ScenarioOption.seconds("eat", 1.0, "seconds (story time) to eat one bun").above(0));
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    int items = context.intOption("items");
    int capacity = context.intOption("capacity");
    int producers = context.intOption("producers");
    int consumers = context.intOption("consumers");
    Duration bake = context.secondsOption("bake");
    Duration eat = context.secondsOption("eat");
    Story story = context.story();

    story.section(
        "With threads and queue.Queue(maxsize): a deque, one lock, two conditions (as ArrayBlockingQueue)");
    story.note(
        "%d bakers and %d eaters share a basket that holds %d buns; %d buns in all.",
        producers, consumers, capacity, items);
    story.note(
        "put() blocks a baker's thread while the basket is full, take() an eater's while it is empty;");
    story.note(
        "the queue's lock and two conditions decide who goes next. Each line is said while its thread");
    story.note(
        "still holds the lock, so the lines come in the order things happened and show the basket as it was.");
    Map<String, Object> threads =
        withThreads(context, items, capacity, producers, consumers, bake, eat);
    story.note("threads: %s", threads);

    story.section("With actors and a BoundedBuffer");
    story.note(
        "The basket is an actor. A baker tells it Put(bun) and waits for Accepted, which comes only when");
    story.note(
        "there is room; an eater tells it Take and gets Taken when there is a bun. Nobody blocks a thread:");
    story.note(
        "a parked baker or eater is an entry in the basket's FIFO queue, not a sleeping thread.");
    story.note(
        "Each actor tells its line when its reply arrives, so an eater may tell of a bun a moment");
    story.note(
        "before its baker hears Accepted; the level shown is the basket's own, right after the move.");
    Map<String, Object> actors =
        withActors(context, items, capacity, producers, consumers, bake, eat);
    story.note("actors: %s", actors);

    boolean ok = (Boolean) threads.remove("ok") & (Boolean) actors.remove("ok");
    ScenarioResult result = ScenarioResult.of(ok);
    actors.forEach(result::with);
    return result.with("threads", threads);
  }

  // ------------------------------------------------------------------ threads

  private static Map<String, Object> withThreads(
      ScenarioContext context,
      int items,
      int capacity,
      int producers,
      int consumers,
      Duration bake,
      Duration eat)
      throws InterruptedException {
    Story story = context.story();
    Bun poison = new Bun(0, 0);
    LockedBasket basket = new LockedBasket(capacity, ThreadsTrace.of(context, "basket"));
    AtomicLong produced = new AtomicLong();
    AtomicInteger maxLevel = new AtomicInteger();
    List<List<Bun>> eaten = new ArrayList<>();
    List<Thread> bakers = new ArrayList<>();
    List<Thread> eaters = new ArrayList<>();
    for (int b = 1; b <= producers; b++) {
      int baker = b;
      int share = Buns.share(items, producers, baker);
      Thread thread =
          new Thread(
              () -> {
                try {
                  for (int seq = 1; seq <= share; seq++) {
                    context.pause(bake);
                    Bun bun = new Bun(baker, seq);
                    basket.put(
                        bun,
                        () -> story.say("baker-%d: the basket is full; waits with %s", baker, bun),
                        level -> {
                          maxLevel.accumulateAndGet(level, Math::max);
                          produced.incrementAndGet();
                          story.say(
                              "baker-%d puts %s in       %s",
                              baker, bun, Buns.basket(level, capacity));
                        });
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "baker-" + baker);
      thread.start();
      bakers.add(thread);
    }
    for (int e = 1; e <= consumers; e++) {
      int eater = e;
      List<Bun> mine = new CopyOnWriteArrayList<>();
      eaten.add(mine);
      Thread thread =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Bun bun =
                        basket.take(
                            () -> story.say("eater-%d: the basket is empty; waits", eater),
                            (taken, level) -> {
                              if (taken != poison) {
                                story.say(
                                    "eater-%d takes %s out   %s",
                                    eater, taken, Buns.basket(level, capacity));
                              }
                            });
                    if (bun == poison) {
                      story.say("eater-%d finds the note 'no more buns' and goes home", eater);
                      return;
                    }
                    mine.add(bun);
                    context.pause(eat);
                  }
                } catch (InterruptedException ex) {
                  Thread.currentThread().interrupt();
                }
              },
              "eater-" + eater);
      thread.start();
      eaters.add(thread);
    }
    for (Thread baker : bakers) {
      baker.join();
    }
    story.say(
        "every baker is done; one 'no more buns' note per eater goes in the basket (Python's sentinel)");
    for (int e = 0; e < consumers; e++) {
      basket.put(poison, () -> {}, level -> {});
    }
    for (Thread eater : eaters) {
      eater.join();
    }
    return Buns.tally(producers, produced.get(), eaten, maxLevel.get(), capacity);
  }

  /**
   * CPython's {@code queue.Queue(maxsize)}: a deque, one lock, and the conditions not-full and
   * not-empty. {@code said} runs while the lock is still held, with the level the operation left,
   * so what the story prints is what happened, in the order it happened.
   */
  private static final class LockedBasket {
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<Bun> buns = new ArrayDeque<>();
    private final int capacity;
    private final ThreadsTrace trace;

    LockedBasket(int capacity, ThreadsTrace trace) {
      this.capacity = capacity;
      this.trace = trace;
    }

    void put(Bun bun, Runnable waits, IntConsumer said) throws InterruptedException {
      lock.lockInterruptibly();
      try {
        if (buns.size() == capacity) {
          waits.run();
          trace.waiting("to put " + bun);
          while (buns.size() == capacity) {
            notFull.await();
          }
          trace.woke("room for " + bun);
        }
        buns.addLast(bun);
        trace.event("put", bun);
        trace.level(buns.size());
        said.accept(buns.size());
        notEmpty.signal();
      } finally {
        lock.unlock();
      }
    }

    Bun take(Runnable waits, BiConsumer<Bun, Integer> said) throws InterruptedException {
      lock.lockInterruptibly();
      try {
        if (buns.isEmpty()) {
          waits.run();
          trace.waiting("to take");
          while (buns.isEmpty()) {
            notEmpty.await();
          }
          trace.woke("a bun is there");
        }
        Bun bun = buns.pollFirst();
        trace.event("taken", bun);
        trace.level(buns.size());
        said.accept(bun, buns.size());
        notFull.signal();
        return bun;
      } finally {
        lock.unlock();
      }
    }
  }

  // ------------------------------------------------------------------ actors

  private enum Tick {
    INSTANCE
  }

  /**
   * A baker: bake (a timer), try put_nowait (Offer with zero timeout), else Put and wait for
   * Accepted.
   */
  static Behavior<Object> baker(
      int baker,
      int share,
      Duration bake,
      int capacity,
      ActorRef<BoundedBuffer.Command<Bun>> basket,
      Story story,
      AtomicLong produced,
      AtomicInteger maxLevel) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  KitClock clock = KitClock.get(context.getSystem());
                  ActorRef<BoundedBuffer.Reply<Bun>> self = context.getSelf().narrow();
                  int[] seq = {0};
                  timers.startSingleTimer(Tick.INSTANCE, clock.toReal(bake));
                  return Behaviors.receive(Object.class)
                      .onMessageEquals(
                          Tick.INSTANCE,
                          () -> {
                            basket.tell(
                                new BoundedBuffer.Offer<>(
                                    new Bun(baker, ++seq[0]), Duration.ZERO, self));
                            return Behaviors.same();
                          })
                      .onMessage(
                          BoundedBuffer.TimedOut.class,
                          full -> {
                            Bun bun = new Bun(baker, seq[0]);
                            story.say(
                                "baker-%d: the basket is full; parked in its queue with %s",
                                baker, bun);
                            basket.tell(new BoundedBuffer.Put<>(bun, self));
                            return Behaviors.same();
                          })
                      .onMessage(
                          BoundedBuffer.Accepted.class,
                          accepted -> {
                            produced.incrementAndGet();
                            maxLevel.accumulateAndGet(accepted.level(), Math::max);
                            story.say(
                                "baker-%d puts %s in       %s",
                                baker,
                                new Bun(baker, seq[0]),
                                Buns.basket(accepted.level(), capacity));
                            if (seq[0] == share) {
                              story.say("baker-%d has baked all %d buns and stops", baker, share);
                              return Behaviors.stopped();
                            }
                            timers.startSingleTimer(Tick.INSTANCE, clock.toReal(bake));
                            return Behaviors.same();
                          })
                      .onMessage(BoundedBuffer.Rejected.class, rejected -> Behaviors.stopped())
                      .build();
                }));
  }

  /**
   * An eater: try get_nowait (Poll with zero timeout), else Take; eat (a timer); task_done; again
   * until end-of-stream.
   */
  static Behavior<Object> eater(
      int eater,
      Duration eat,
      int capacity,
      ActorRef<BoundedBuffer.Command<Bun>> basket,
      Story story,
      List<Bun> mine) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  KitClock clock = KitClock.get(context.getSystem());
                  ActorRef<BoundedBuffer.Reply<Bun>> self = context.getSelf().narrow();
                  basket.tell(new BoundedBuffer.Poll<>(Duration.ZERO, self));
                  return Behaviors.receive(Object.class)
                      .onMessage(
                          BoundedBuffer.TimedOut.class,
                          empty -> {
                            story.say("eater-%d: the basket is empty; parked in its queue", eater);
                            basket.tell(new BoundedBuffer.Take<>(self));
                            return Behaviors.same();
                          })
                      .onMessage(
                          BoundedBuffer.Taken.class,
                          taken -> {
                            Bun bun = (Bun) taken.item();
                            mine.add(bun);
                            story.say(
                                "eater-%d takes %s out   %s",
                                eater, bun, Buns.basket(taken.level(), capacity));
                            timers.startSingleTimer(Tick.INSTANCE, clock.toReal(eat));
                            return Behaviors.same();
                          })
                      .onMessageEquals(
                          Tick.INSTANCE,
                          () -> {
                            basket.tell(new BoundedBuffer.TaskDone<>(1, self));
                            basket.tell(new BoundedBuffer.Poll<>(Duration.ZERO, self));
                            return Behaviors.same();
                          })
                      .onMessage(BoundedBuffer.TasksDone.class, done -> Behaviors.same())
                      .onMessage(
                          BoundedBuffer.EndOfStream.class,
                          end -> {
                            story.say(
                                "eater-%d: the basket is closed and empty (EndOfStream); stops",
                                eater);
                            return Behaviors.stopped();
                          })
                      .build();
                }));
  }

  private static Map<String, Object> withActors(
      ScenarioContext context,
      int items,
      int capacity,
      int producers,
      int consumers,
      Duration bake,
      Duration eat) {
    ActorKit kit = context.kit();
    Story story = context.story();
    Duration patience =
        context.patience(
            PATIENCE, items, bake.plus(eat)); // also when steps are below the timer's tick
    BufferClient<Bun> basket =
        BufferClient.create(kit, "basket", BoundedBuffer.Settings.of(capacity));
    AtomicLong produced = new AtomicLong();
    AtomicInteger maxLevel = new AtomicInteger();
    List<List<Bun>> eaten = new ArrayList<>();
    List<ActorRef<Object>> bakers = new ArrayList<>();
    List<ActorRef<Object>> eaters = new ArrayList<>();
    for (int e = 1; e <= consumers; e++) {
      List<Bun> mine = new CopyOnWriteArrayList<>();
      eaten.add(mine);
      eaters.add(
          kit.spawn(
              Branch.PRIMITIVES, "eater-" + e, eater(e, eat, capacity, basket.ref(), story, mine)));
    }
    for (int b = 1; b <= producers; b++) {
      int share = Buns.share(items, producers, b);
      bakers.add(
          kit.spawn(
              Branch.PRIMITIVES,
              "baker-" + b,
              baker(b, share, bake, capacity, basket.ref(), story, produced, maxLevel)));
    }
    for (ActorRef<Object> baker : bakers) {
      kit.join(baker, patience);
    }
    story.say(
        "every baker has stopped; join() on the basket waits until every bun put is eaten (task_done)");
    basket.join(patience);
    story.say(
        "join() returned; close() the basket: eaters drain it, then get EndOfStream (no sentinel needed)");
    basket.close();
    for (ActorRef<Object> eater : eaters) {
      kit.join(eater, patience);
    }
    BoundedBuffer.SizeIs<Bun> end = basket.status();
    story.note(
        "The basket itself saw at most %d buns at once; %d are left.", end.highWater(), end.size());
    return Buns.tally(producers, produced.get(), eaten, maxLevel.get(), capacity);
  }
}
