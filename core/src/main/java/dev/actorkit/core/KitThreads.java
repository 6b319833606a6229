package dev.actorkit.core;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of a kit's actor system, found by name: Akka names each {@code <system>-<dispatcher
 * id>-<n>} (and {@code <system>-scheduler-<n>}). After the system has terminated, its dispatchers
 * shut their pools down and the threads end as soon as they are idle; {@link ActorKit#close()}
 * waits for that, so that no kit thread outlives it.
 *
 * <p>A name is not an identity: another actor system of the same name in this JVM has threads named
 * alike. So the wait is short for threads that only run actors (ours end within milliseconds of the
 * pool's shutdown), longer for those of the blocking and compute dispatchers (a task interrupted at
 * the close's bound may take a moment to return), and only a user-work thread still running after
 * that is worth a warning.
 */
final class KitThreads {

  private static final Logger log = LoggerFactory.getLogger(KitThreads.class);

  /** How long a thread that only runs actors may take to end. */
  private static final Duration ACTOR_THREADS = Duration.ofMillis(200);

  private KitThreads() {}

  /** The live threads of the actor system named {@code system}. */
  static List<Thread> of(String system) {
    Pattern mine =
        Pattern.compile("^" + Pattern.quote(system) + "-(akka\\.|actorkit\\.|scheduler-).*");
    return Thread.getAllStackTraces().keySet().stream()
        .filter(
            thread -> thread != Thread.currentThread() && mine.matcher(thread.getName()).matches())
        .toList();
  }

  /** Whether {@code thread} belongs to a dispatcher that runs user work. */
  private static boolean runsUserWork(Thread thread) {
    String name = thread.getName();
    return name.contains(KitDispatcher.BLOCKING.id()) || name.contains(KitDispatcher.COMPUTE.id());
  }

  /**
   * Waits for them to end: up to {@code userWork} for threads of the blocking and compute
   * dispatchers, a moment for the others; warns of user-work threads still running after it.
   */
  static void awaitEnded(String system, Duration userWork) {
    long deadline = System.nanoTime() + userWork.toNanos();
    for (Thread thread : of(system)) {
      long bound = runsUserWork(thread) ? deadline - System.nanoTime() : ACTOR_THREADS.toNanos();
      if (bound <= 0) {
        continue;
      }
      try {
        thread.join(Math.max(1, bound / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    List<Thread> left = of(system);
    List<String> stuck =
        left.stream().filter(KitThreads::runsUserWork).map(Thread::getName).toList();
    if (!stuck.isEmpty()) {
      log.warn(
          "{} thread(s) of {} still run user work after the kit closed (a task that ignores its interrupt?): {}",
          stuck.size(),
          system,
          stuck);
    } else if (!left.isEmpty()) {
      log.debug(
          "{} thread(s) named like the kit {} still run: another actor system of that name",
          left.size(),
          system);
    }
  }
}
