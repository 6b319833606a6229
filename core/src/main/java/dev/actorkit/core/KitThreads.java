package dev.actorkit.core;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of a kit's actor system, found by name: Akka names each
 * {@code <system>-<dispatcher id>-<n>} (and {@code <system>-scheduler-<n>}). After the system has
 * terminated, its dispatchers shut their pools down and the threads end as soon as they are idle;
 * {@link ActorKit#close()} waits for that, so that no kit thread outlives it.
 */
final class KitThreads {

  private static final Logger log = LoggerFactory.getLogger(KitThreads.class);

  private KitThreads() {}

  /** The live threads of the actor system named {@code system}. */
  static List<Thread> of(String system) {
    Pattern mine = Pattern.compile("^" + Pattern.quote(system) + "-(akka\\.|actorkit\\.|scheduler-).*");
    return Thread.getAllStackTraces().keySet().stream().filter(thread -> mine.matcher(thread.getName()).matches()).toList();
  }

  /** Waits up to {@code bound} for them to end; logs those still running after it (a task that ignores its interrupt). */
  static void awaitEnded(String system, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    for (Thread thread : of(system)) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || thread == Thread.currentThread()) {
        continue;
      }
      try {
        thread.join(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    List<Thread> left = of(system).stream().filter(thread -> thread != Thread.currentThread()).toList();
    if (!left.isEmpty()) {
      log.warn(
          "{} thread(s) named like the kit {} still run after it closed (code that ignores interrupts, or another actor system of that name): {}",
          left.size(),
          system,
          left.stream().map(Thread::getName).toList());
    }
  }
}
