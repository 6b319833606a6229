package dev.actorkit.cluster;

import dev.actorkit.core.errors.TimedOutException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child JVM running a named entry point on this JVM's classpath: Python's {@code
 * Process(target=...)} for Java. The child's output (stdout and stderr) is passed on line by line
 * with a prefix, so a demo reads like one story.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.start(Worker.class, List.of(seedAddress), "[child] ", System.out::println)) {
 *   int exitCode = child.waitFor(Duration.ofSeconds(30));
 * }   // close(): destroy, wait a bounded time, then destroy forcibly
 * }</pre>
 *
 * <p>The child is always cleaned up: {@link #close()} ends it if it still runs (a polite {@code
 * destroy()} first, {@code destroyForcibly()} after {@link #DESTROY_GRACE}); a JVM shutdown hook
 * does the same for every child still running when this JVM exits, also after an uncaught failure;
 * and a child that calls {@link #exitWhenParentDies()} ends itself when this JVM dies abruptly (its
 * standard input, a pipe from this JVM, reaches end of file).
 */
public final class ChildJvm implements AutoCloseable {

  /** How long {@link #close()} waits after {@code destroy()} before {@code destroyForcibly()}. */
  public static final Duration DESTROY_GRACE = Duration.ofSeconds(5);

  private static final Set<Process> running = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (Process process : running) {
                    process.destroyForcibly();
                  }
                },
                "actorkit-child-jvm-reaper"));
  }

  private final Process process;
  private final String name;
  private final Thread pump;

  private ChildJvm(Process process, String name, Thread pump) {
    this.process = process;
    this.name = name;
    this.pump = pump;
  }

  /**
   * Starts {@code java -cp <this JVM's classpath> mainClass args...} with the given JVM options.
   *
   * @param prefix put before every line the child prints
   * @param output where the child's lines go (called on a reader thread)
   */
  public static ChildJvm start(
      Class<?> mainClass,
      List<String> args,
      List<String> jvmOptions,
      String prefix,
      Consumer<String> output) {
    try {
      mainClass.getMethod("main", String[].class);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          mainClass.getName() + " has no public static void main(String[])", e);
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start a child JVM for " + mainClass.getName(), e);
    }
    running.add(process);
    String name = mainClass.getSimpleName() + " (pid " + process.pid() + ")";
    Thread pump =
        new Thread(() -> pump(process, prefix, output), "actorkit-child-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    process.onExit().thenRun(() -> running.remove(process));
    return new ChildJvm(process, name, pump);
  }

  /** {@link #start(Class, List, List, String, Consumer)} with a small heap and a fast start. */
  public static ChildJvm start(
      Class<?> mainClass, List<String> args, String prefix, Consumer<String> output) {
    return start(
        mainClass,
        args,
        List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
        prefix,
        output);
  }

  /**
   * For a child's {@code main}: end this JVM (exit code 3) when the parent's end of standard input
   * closes, which happens when the parent dies in any way, even {@code kill -9}.
   */
  public static void exitWhenParentDies() {
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // the parent writes nothing; any byte is ignored
                }
              } catch (IOException e) {
                // a broken pipe means the same as end of file
              }
              System.err.println("parent JVM is gone; exiting");
              Runtime.getRuntime().halt(3);
            },
            "actorkit-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Completes with the child's exit code when it ends, in any way (137 after SIGKILL). */
  public CompletableFuture<Integer> onExit() {
    return process.onExit().thenApply(Process::exitValue);
  }

  /** Ends the child without waiting: SIGTERM, or SIGKILL when {@code forcibly}. */
  public void kill(boolean forcibly) {
    if (forcibly) {
      process.destroyForcibly();
    } else {
      process.destroy();
    }
  }

  /**
   * Freezes the child with SIGSTOP (as a long GC pause or a suspended VM would): it keeps its
   * sockets but runs no code and answers nothing until {@link #thaw()}. {@link #close()} still ends
   * a frozen child. Needs the {@code kill} command (Linux, macOS).
   */
  public void freeze() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** Lets a child frozen by {@link #freeze()} run again (SIGCONT). */
  public void thaw() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      kill.destroyForcibly();
      throw new IOException("kill -" + signal + " " + pid() + " failed");
    }
  }

  /**
   * Waits until the child exits, at most {@code timeout} (real time), and returns its exit code.
   *
   * @throws TimedOutException if it still runs after {@code timeout} (it is left running; close it)
   */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimedOutException("the child JVM " + name + " to exit", timeout);
    }
    pump.join(TimeUnit.SECONDS.toMillis(2)); // let the last lines through
    return process.exitValue();
  }

  /**
   * Ends the child if it still runs: destroy, wait up to {@link #DESTROY_GRACE}, then destroy
   * forcibly.
   */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(DESTROY_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(DESTROY_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    running.remove(process);
  }

  @Override
  public String toString() {
    return name;
  }

  private static void pump(Process process, String prefix, Consumer<String> output) {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.accept(prefix + line);
      }
    } catch (IOException e) {
      // the child is gone; nothing more to pass on
    }
  }
}
