package dev.actorkit.demos.scenarios;

import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.demos.ThreadsTrace;
import dev.actorkit.demos.scenarios.Buns.Bun;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferClient;
import dev.actorkit.patterns.mutex.ConditionClient;
import dev.actorkit.patterns.mutex.Mutex;
import dev.actorkit.patterns.mutex.MutexClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bun basket written the textbook way: one lock and two conditions, "not full" and "not empty"
 * (Python's {@code threading.Condition}). Told three times: with a {@code ReentrantLock} and its
 * conditions, with a {@link Mutex} actor and its conditions ({@link ConditionClient}), and with the
 * {@link BoundedBuffer} actor, where the basket keeps its own queues and nobody writes a condition
 * at all.
 */
public final class ConditionScenario implements Scenario {

  private static final Duration PATIENCE = Duration.ofMinutes(10);

  @Override
  public String name() {
    return "condition";
  }

  @Override
  public String title() {
    return "The bun basket with one lock and two conditions (threading.Condition): ReentrantLock, then a Mutex actor's conditions";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.integer("items", 8, "how many buns are baked in all").atLeast(1),
        ScenarioOption.integer("capacity", 2, "how many buns the basket holds").atLeast(1),
        ScenarioOption.integer("producers", 2, "how many bakers").atLeast(1),
        ScenarioOption.integer("consumers", 2, "how many eaters").atLeast(1),
        ScenarioOption.seconds("bake", 0.5, "seconds (story time) to bake one bun").above(0),
        ScenarioOption.seconds("eat", 1.0, "seconds (story time) to eat one bun").above(0));
  }

  /** How one telling guards the basket: take the lock, wait on a condition, notify one. */
  private interface Guard {
    /** Runs {@code step} holding the lock. */
    void holding(Step step) throws InterruptedException;
  }

  /** What a baker or an eater does while it holds the lock. */
  private interface Step {
    void run(Held held) throws InterruptedException;
  }

  /** The lock as held: wait on a condition (giving it up meanwhile), or wake one waiter. */
  private interface Held {
    void await(String condition) throws InterruptedException;

    void notifyOne(String condition);

    /** The lock's fencing token, if it has one (0 for a {@code ReentrantLock}). */
    long token();
  }

  /** What a telling counted: how many notifies, how many times a waiter woke. */
  private static final class Counts {
    final AtomicLong notifies = new AtomicLong();
    final AtomicLong wakeups = new AtomicLong();
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    int items = context.intOption("items");
    int capacity = context.intOption("capacity");
    int producers = context.intOption("producers");
    int consumers = context.intOption("consumers");
    Story story = context.story();

    story.section(
        "With threads, a ReentrantLock and two Conditions (Python's threading.Condition)");
    story.note(
        "The basket is a plain ArrayDeque; every touch of it holds the lock. A baker that finds it full");
    story.note(
        "waits on 'not full', which gives the lock up while it sleeps and takes it back before it returns;");
    story.note(
        "an eater that finds it empty waits on 'not empty'. Whoever changes the basket wakes one waiter of");
    story.note(
        "the other kind. Woken, a waiter checks again: another thread may have got there first.");
    Counts threadCounts = new Counts();
    Map<String, Object> threads =
        tell(
            context,
            items,
            capacity,
            producers,
            consumers,
            jucGuard(threadCounts, ThreadsTrace.of(context, "basket-lock")),
            threadCounts);
    story.note("threads: %s", threads);

    story.section("With threads, a Mutex actor and its conditions");
    story.note(
        "The same code, but the lock is a Mutex actor and the conditions are its named wait queues");
    story.note(
        "(mutex.condition(\"not-full\")). Waiting is a message: the mutex takes the lock back, queues the");
    story.note(
        "waiter on the condition, and grants the lock to the next in line; a notify moves the first waiter");
    story.note("to the lock's queue, and it gets the lock back with a new fencing token.");
    MutexClient mutex = MutexClient.create(context.kit(), "basket-lock", Mutex.Settings.defaults());
    Counts actorCounts = new Counts();
    Map<String, Object> actors =
        tell(
            context,
            items,
            capacity,
            producers,
            consumers,
            mutexGuard(mutex, actorCounts),
            actorCounts);
    story.note("mutex actor: %s", actors);

    story.section("With the BoundedBuffer actor: the basket keeps its own queues");
    story.note(
        "No lock and no condition in user code: the basket is an actor, and a full basket parks a");
    story.note(
        "baker's Put in its FIFO queue until an eater's Take makes room. The conditions are inside it.");
    story.note(
        "Each thread tells its line when its answer arrives, so an eater may tell of a bun a moment before");
    story.note(
        "its baker hears that the bun is in; the level shown is the basket's own, right after the put.");
    Map<String, Object> buffer = withBuffer(context, items, capacity, producers, consumers);
    story.note("buffer actor: %s", buffer);

    boolean ok =
        (Boolean) threads.remove("ok")
            & (Boolean) actors.remove("ok")
            & (Boolean) buffer.remove("ok");
    ScenarioResult result = ScenarioResult.of(ok);
    actors.forEach(result::with);
    return result.with("threads", threads).with("buffer", buffer);
  }

  // ------------------------------------------------------------------ the two guards

  /**
   * The lock and its conditions, traced as {@code threads/basket-lock} like the Mutex actor of the
   * second telling: waiting on a condition gives the lock up (released) and waits until the thread
   * holds it again (granted), notified or not in between.
   */
  private static Guard jucGuard(Counts counts, ThreadsTrace trace) {
    ReentrantLock lock = new ReentrantLock(true);
    Map<String, Condition> conditions =
        Map.of("not full", lock.newCondition(), "not empty", lock.newCondition());
    Held held =
        new Held() {
          @Override
          public void await(String condition) throws InterruptedException {
            trace.released("waits on " + condition);
            trace.waiting("on " + condition);
            conditions.get(condition).await();
            trace.granted("back from " + condition);
            counts.wakeups.incrementAndGet();
          }

          @Override
          public void notifyOne(String condition) {
            trace.event("notified", condition);
            conditions.get(condition).signal();
            counts.notifies.incrementAndGet();
          }

          @Override
          public long token() {
            return 0;
          }
        };
    return step -> {
      trace.lock(lock, "");
      try {
        step.run(held);
      } finally {
        trace.unlock(lock, "");
      }
    };
  }

  private static Guard mutexGuard(MutexClient mutex, Counts counts) {
    Map<String, ConditionClient> conditions =
        Map.of("not full", mutex.condition("not-full"), "not empty", mutex.condition("not-empty"));
    return step -> {
      try (MutexClient.Lock lock = mutex.acquire(PATIENCE)) {
        step.run(
            new Held() {
              @Override
              public void await(String condition) {
                conditions.get(condition).await(lock, PATIENCE);
                counts.wakeups.incrementAndGet();
              }

              @Override
              public void notifyOne(String condition) {
                conditions.get(condition).notify(lock);
                counts.notifies.incrementAndGet();
              }

              @Override
              public long token() {
                return lock.token();
              }
            });
      }
    };
  }

  // ------------------------------------------------------------------ one telling

  private static Map<String, Object> tell(
      ScenarioContext context,
      int items,
      int capacity,
      int producers,
      int consumers,
      Guard guard,
      Counts counts)
      throws Exception {
    Story story = context.story();
    Duration bake = context.secondsOption("bake");
    Duration eat = context.secondsOption("eat");
    ArrayDeque<Bun> basket =
        new ArrayDeque<>(); // guarded by the lock: touched only while holding it
    AtomicLong produced = new AtomicLong();
    AtomicInteger maxLevel = new AtomicInteger();
    List<List<Bun>> eaten = new ArrayList<>();
    List<Thread> everyone = new ArrayList<>();
    for (int b = 1; b <= producers; b++) {
      int baker = b;
      int share = Buns.share(items, producers, baker);
      everyone.add(
          new Thread(
              () -> {
                try {
                  for (int seq = 1; seq <= share; seq++) {
                    context.pause(bake);
                    Bun bun = new Bun(baker, seq);
                    guard.holding(
                        held -> {
                          while (basket.size() == capacity) {
                            story.say(
                                "baker-%d: the basket is full; waits on 'not full' with %s (the lock is free meanwhile)",
                                baker, bun);
                            held.await("not full");
                            story.say(
                                "baker-%d wakes up holding the lock%s; checks the basket again",
                                baker, tokenText(held));
                          }
                          basket.addLast(bun);
                          produced.incrementAndGet();
                          maxLevel.accumulateAndGet(basket.size(), Math::max);
                          story.say(
                              "baker-%d puts %s in       %s  and notifies 'not empty'",
                              baker, bun, Buns.basket(basket.size(), capacity));
                          held.notifyOne("not empty");
                        });
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "baker-" + baker));
    }
    for (int e = 1; e <= consumers; e++) {
      int eater = e;
      int share = Buns.share(items, consumers, eater);
      List<Bun> mine = new CopyOnWriteArrayList<>();
      eaten.add(mine);
      everyone.add(
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < share; i++) {
                    guard.holding(
                        held -> {
                          while (basket.isEmpty()) {
                            story.say("eater-%d: the basket is empty; waits on 'not empty'", eater);
                            held.await("not empty");
                            story.say(
                                "eater-%d wakes up holding the lock%s; checks the basket again",
                                eater, tokenText(held));
                          }
                          Bun bun = basket.removeFirst();
                          mine.add(bun);
                          story.say(
                              "eater-%d takes %s out   %s  and notifies 'not full'",
                              eater, bun, Buns.basket(basket.size(), capacity));
                          held.notifyOne("not full");
                        });
                    context.pause(eat);
                  }
                } catch (InterruptedException ex) {
                  Thread.currentThread().interrupt();
                }
              },
              "eater-" + eater));
    }
    everyone.forEach(Thread::start);
    for (Thread thread : everyone) {
      thread.join(TimeUnit.MINUTES.toMillis(10));
    }
    Map<String, Object> figures =
        Buns.tally(producers, produced.get(), eaten, maxLevel.get(), capacity);
    figures.put("notifies", counts.notifies.get());
    figures.put("wakeups", counts.wakeups.get());
    return figures;
  }

  private static String tokenText(Held held) {
    long token = held.token();
    return token == 0 ? "" : " (token " + token + ")";
  }

  // ------------------------------------------------------------------ the buffer actor

  private static Map<String, Object> withBuffer(
      ScenarioContext context, int items, int capacity, int producers, int consumers)
      throws InterruptedException {
    Story story = context.story();
    Duration bake = context.secondsOption("bake");
    Duration eat = context.secondsOption("eat");
    BufferClient<Bun> basket =
        BufferClient.create(context.kit(), "basket", BoundedBuffer.Settings.of(capacity));
    AtomicLong produced = new AtomicLong();
    AtomicInteger maxLevel = new AtomicInteger();
    List<List<Bun>> eaten = new ArrayList<>();
    List<Thread> everyone = new ArrayList<>();
    for (int b = 1; b <= producers; b++) {
      int baker = b;
      int share = Buns.share(items, producers, baker);
      everyone.add(
          new Thread(
              () -> {
                try {
                  for (int seq = 1; seq <= share; seq++) {
                    context.pause(bake);
                    Bun bun = new Bun(baker, seq);
                    int level = basket.putAsync(bun, PATIENCE).toCompletableFuture().join().level();
                    produced.incrementAndGet();
                    maxLevel.accumulateAndGet(level, Math::max);
                    story.say(
                        "baker-%d puts %s in       %s", baker, bun, Buns.basket(level, capacity));
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "baker-" + baker));
    }
    for (int e = 1; e <= consumers; e++) {
      int eater = e;
      int share = Buns.share(items, consumers, eater);
      List<Bun> mine = new CopyOnWriteArrayList<>();
      eaten.add(mine);
      everyone.add(
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < share; i++) {
                    Bun bun = basket.take(PATIENCE);
                    mine.add(bun);
                    story.say("eater-%d takes %s out", eater, bun);
                    context.pause(eat);
                  }
                } catch (InterruptedException ex) {
                  Thread.currentThread().interrupt();
                }
              },
              "eater-" + eater));
    }
    everyone.forEach(Thread::start);
    for (Thread thread : everyone) {
      thread.join(TimeUnit.MINUTES.toMillis(10));
    }
    return Buns.tally(producers, produced.get(), eaten, maxLevel.get(), capacity);
  }
}
