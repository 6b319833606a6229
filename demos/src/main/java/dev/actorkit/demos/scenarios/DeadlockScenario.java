package dev.actorkit.demos.scenarios;

import akka.actor.typed.ActorRef;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.DeadlockDetectedException;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.demos.ThreadsTrace;
import dev.actorkit.patterns.deadlock.DeadlockDetector;
import dev.actorkit.patterns.deadlock.DeadlockDetectors;
import dev.actorkit.patterns.mutex.LockOwner;
import dev.actorkit.patterns.mutex.Mutex;
import dev.actorkit.patterns.mutex.MutexClient;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The two cooks: each needs the knife and the pot; one takes the knife first, the other the pot
 * first, and each waits for the other forever. Told with threads and {@code ReentrantLock}s, then
 * with two {@code Mutex} actors whose detector names the cycle and breaks it, then fixed with one
 * lock order.
 */
public final class DeadlockScenario implements Scenario {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Override
  public String name() {
    return "deadlock";
  }

  @Override
  public String title() {
    return "Two cooks take the knife and the pot in opposite order; the detector names the cycle and breaks it";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.seconds(
                "interval", 0.5, "how often the deadlock detector looks for cycles, in seconds")
            .above(0),
        ScenarioOption.seconds(
                "cook", 1.0, "how long cooking takes once a cook has both tools, in seconds")
            .atLeast(0));
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    Story story = context.story();
    story.note(
        "Two cooks each need the knife and the pot. Cook 1 picks up the knife first, cook 2 the pot.");
    int threadsDeadlocked = threads(context);

    ActorKit kit = context.kit();
    Duration interval = context.secondsOption("interval");
    Duration cooking = context.secondsOption("cook");
    ActorRef<DeadlockDetector.Command> detector =
        DeadlockDetectors.forKit(kit, DeadlockDetector.Settings.defaults().withInterval(interval));
    MutexClient knife =
        MutexClient.create(kit, "knife", Mutex.Settings.defaults().withDetector(detector));
    MutexClient pot =
        MutexClient.create(kit, "pot", Mutex.Settings.defaults().withDetector(detector));
    try (LockOwner cook1 = LockOwner.create(kit.system(), "cook-1");
        LockOwner cook2 = LockOwner.create(kit.system(), "cook-2")) {
      List<String> cycle = new CopyOnWriteArrayList<>();
      int finishedWithDetector = detected(context, knife, pot, cook1, cook2, cooking, cycle);
      int finishedFixed = fixed(context, knife, pot, cook1, cook2, cooking);

      story.section("What happened");
      story.note(
          "threads: %d deadlocked, found by the JVM but broken by nobody", threadsDeadlocked);
      story.note(
          "actors: the detector named %s and failed one wait; %d of 2 cooks finished",
          String.join(" -> ", cycle), finishedWithDetector);
      story.note("one lock order: %d of 2 cooks finished, no cycle possible", finishedFixed);
      boolean detectedIt = !cycle.isEmpty();
      return ScenarioResult.of(detectedIt && finishedWithDetector == 2 && finishedFixed == 2)
          .with("threads_deadlocked", threadsDeadlocked)
          .with("deadlock_detected", detectedIt)
          .with("cycle", List.copyOf(cycle))
          .with("fixed_finished", finishedFixed == 2);
    }
  }

  /** Two threads, two ReentrantLocks, opposite order; the JVM's ThreadMXBean sees the cycle. */
  private int threads(ScenarioContext context) throws InterruptedException {
    Story story = context.story();
    story.section("With threads and two ReentrantLocks");
    Tool knife = new Tool("knife", new ReentrantLock(), ThreadsTrace.of(context, "knife"));
    Tool pot = new Tool("pot", new ReentrantLock(), ThreadsTrace.of(context, "pot"));
    CyclicBarrier bothHoldOne = new CyclicBarrier(2);
    Thread cook1 = new Thread(() -> cookWithLocks(story, knife, pot, bothHoldOne), "cook-1");
    Thread cook2 = new Thread(() -> cookWithLocks(story, pot, knife, bothHoldOne), "cook-2");
    cook1.setDaemon(true);
    cook2.setDaemon(true);
    cook1.start();
    cook2.start();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] stuck = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while ((stuck == null || stuck.length < 2) && System.nanoTime() < deadline) {
      Thread.sleep(5);
      stuck = threads.findDeadlockedThreads();
    }
    int count = stuck == null ? 0 : stuck.length;
    if (stuck != null) {
      for (ThreadInfo info : threads.getThreadInfo(stuck)) {
        story.say(
            "the JVM sees %s waiting for a lock held by %s",
            info.getThreadName(), info.getLockOwnerName());
      }
    }
    story.note(
        "Nothing in the program will ever wake them: a ReentrantLock waits forever. The JVM can");
    story.note(
        "list the cycle (jstack does), but breaking it is up to you; here we interrupt both.");
    cook1.interrupt();
    cook2.interrupt();
    cook1.join(5_000);
    cook2.join(5_000);
    return count;
  }

  /** A kitchen tool of the threads telling: its lock and the trace named as its Mutex twin. */
  private record Tool(String name, ReentrantLock lock, ThreadsTrace trace) {}

  private static void cookWithLocks(
      Story story, Tool first, Tool second, CyclicBarrier bothHoldOne) {
    String me = Thread.currentThread().getName();
    try {
      first.trace().lock(first.lock(), "");
      try {
        story.say("%s picks up the %s", me, first.name());
        bothHoldOne.await(10, TimeUnit.SECONDS);
        story.say("%s reaches for the %s...", me, second.name());
        second.trace().lock(second.lock(), "");
        second.trace().unlock(second.lock(), "");
      } finally {
        first.trace().unlock(first.lock(), "");
      }
    } catch (InterruptedException e) {
      story.say("%s is interrupted and puts the %s down", me, first.name());
    } catch (Exception e) {
      story.say("%s gives up: %s", me, e);
    }
  }

  /** The same with Mutex actors reporting to the kit's deadlock detector. */
  private int detected(
      ScenarioContext context,
      MutexClient knife,
      MutexClient pot,
      LockOwner cook1,
      LockOwner cook2,
      Duration cooking,
      List<String> cycle)
      throws InterruptedException {
    Story story = context.story();
    story.section("With two Mutex actors and the deadlock detector");
    story.note(
        "Each mutex tells the detector (under the kit's system branch) who holds it and who waits;");
    story.note(
        "every %.1f s the detector looks for a cycle, names it, and fails the youngest wait.",
        context.doubleOption("interval"));
    CyclicBarrier bothHoldOne = new CyclicBarrier(2);
    AtomicInteger finished = new AtomicInteger();
    Thread one =
        new Thread(
            () ->
                cookWithMutexes(
                    context,
                    cook1,
                    knife,
                    "knife",
                    pot,
                    "pot",
                    bothHoldOne,
                    cooking,
                    cycle,
                    finished),
            "cook-1");
    Thread two =
        new Thread(
            () ->
                cookWithMutexes(
                    context,
                    cook2,
                    pot,
                    "pot",
                    knife,
                    "knife",
                    bothHoldOne,
                    cooking,
                    cycle,
                    finished),
            "cook-2");
    one.start();
    two.start();
    one.join(30_000);
    two.join(30_000);
    return finished.get();
  }

  @SuppressWarnings("try") // the locks are held for the length of the block, never named in it
  private static void cookWithMutexes(
      ScenarioContext context,
      LockOwner me,
      MutexClient first,
      String firstName,
      MutexClient second,
      String secondName,
      CyclicBarrier bothHoldOne,
      Duration cooking,
      List<String> cycle,
      AtomicInteger finished) {
    Story story = context.story();
    try {
      boolean done = false;
      boolean firstTry = true;
      while (!done) {
        try (MutexClient.Lock a = first.acquire(me, WAIT)) {
          story.say("%s picks up the %s (token %d)", me.name(), firstName, a.token());
          if (firstTry) {
            bothHoldOne.await(10, TimeUnit.SECONDS);
          }
          story.say("%s reaches for the %s...", me.name(), secondName);
          try (MutexClient.Lock b = second.acquire(me, WAIT)) {
            story.say("%s has both and cooks", me.name());
            context.pause(cooking);
            story.say("%s is done and puts both down", me.name());
            done = true;
          } catch (DeadlockDetectedException e) {
            cycle.addAll(e.cycle());
            story.say("%s's wait for the %s fails: %s", me.name(), secondName, e.getMessage());
            story.say("%s puts the %s down and starts over", me.name(), firstName);
          }
        }
        firstTry = false;
      }
      finished.incrementAndGet();
    } catch (Exception e) {
      story.say("%s gives up: %s", me.name(), e);
    }
  }

  /**
   * The fix: both cooks take the knife first, so nobody can hold the pot while waiting for the
   * knife.
   */
  @SuppressWarnings("try") // the locks are held for the length of the block, never named in it
  private int fixed(
      ScenarioContext context,
      MutexClient knife,
      MutexClient pot,
      LockOwner cook1,
      LockOwner cook2,
      Duration cooking)
      throws InterruptedException {
    Story story = context.story();
    story.section("Fixed: one lock order");
    story.note(
        "Both cooks now take the knife first, then the pot. Whoever gets the knife also gets the pot;");
    story.note("the other waits for the knife holding nothing, so no cycle can form.");
    AtomicInteger finished = new AtomicInteger();
    List<Thread> cooks = new ArrayList<>();
    for (LockOwner cook : List.of(cook1, cook2)) {
      Thread thread =
          new Thread(
              () -> {
                try (MutexClient.Lock a = knife.acquire(cook, WAIT)) {
                  story.say("%s picks up the knife", cook.name());
                  try (MutexClient.Lock b = pot.acquire(cook, WAIT)) {
                    story.say("%s picks up the pot and cooks", cook.name());
                    context.pause(cooking);
                    story.say("%s is done", cook.name());
                    finished.incrementAndGet();
                  }
                } catch (Exception e) {
                  story.say("%s gives up: %s", cook.name(), e);
                }
              },
              cook.name());
      cooks.add(thread);
      thread.start();
    }
    for (Thread thread : cooks) {
      thread.join(30_000);
    }
    return finished.get();
  }
}
