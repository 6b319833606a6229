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
 * <p>A name is not an identity: another actor system of the same name in this JVM (several cluster
 * nodes in one test, say) has threads named alike. So the close waits longer only for a blocking or
 * compute thread that is running a task (one interrupted at the close's bound may take a moment to
 * return), and then one short bound for all the others together: threads that only run actors and
 * idle pool threads, waiting in their pool for a task. Ours end within milliseconds of their pool's
 * shutdown once no task of ours runs; those still there are another system's. Only a busy thread
 * still running after that is worth a warning. Telling idle from busy reads the thread's stack:
 * done at close only, never on a hot path.
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

  /**
   * Whether {@code thread} belongs to a dispatcher that runs user work and is running a task now,
   * not waiting in its pool for one.
   */
  static boolean runsUserWork(Thread thread) {
    String name = thread.getName();
    boolean userWorkPool =
        name.contains(KitDispatcher.BLOCKING.id()) || name.contains(KitDispatcher.COMPUTE.id());
    return userWorkPool && !waitsForATask(thread);
  }

  /**
   * Whether {@code thread} is an idle pool worker: {@code ThreadPoolExecutor} threads wait for a
   * task in {@code getTask}, {@code ForkJoinPool} ones in {@code awaitWork}. A task's own frames
   * would sit above those, so a task that waits is not taken for an idle worker.
   */
  private static boolean waitsForATask(Thread thread) {
    for (StackTraceElement frame : thread.getStackTrace()) {
      String type = frame.getClassName();
      String method = frame.getMethodName();
      if (type.equals("java.util.concurrent.ThreadPoolExecutor") && method.equals("runWorker")
          || type.equals("java.util.concurrent.ForkJoinPool") && method.equals("runWorker")) {
        return false; // below the pool's loop: no getTask or awaitWork above it, so a task runs
      }
      if (type.equals("java.util.concurrent.ThreadPoolExecutor") && method.equals("getTask")
          || type.equals("java.util.concurrent.ForkJoinPool") && method.equals("awaitWork")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Waits for them to end: up to {@code userWork} for blocking and compute threads running a task,
   * then a moment for all the others together; warns of threads still running a task after it.
   */
  static void awaitEnded(String system, Duration userWork) {
    List<Thread> threads = of(system);
    // The busy ones first: while one of our compute tasks runs, our own idle compute threads stay
    // in their pool (a ForkJoinPool stops its workers only once it is quiet), so they are waited
    // for after it. Then one short bound for all the rest together, however many another system
    // of the same name has.
    List<Thread> busy = threads.stream().filter(KitThreads::runsUserWork).toList();
    if (!joinAll(busy, System.nanoTime() + userWork.toNanos())
        || !joinAll(threads, System.nanoTime() + ACTOR_THREADS.toNanos())) {
      return;
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

  /** Joins each of {@code threads} until {@code deadline} (nanoTime); false if interrupted. */
  private static boolean joinAll(List<Thread> threads, long deadline) {
    for (Thread thread : threads) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      try {
        thread.join(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
