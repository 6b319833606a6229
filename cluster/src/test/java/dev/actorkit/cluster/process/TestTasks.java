package dev.actorkit.cluster.process;

import java.nio.file.Files;
import java.nio.file.Path;

/** The tasks the process pool tests run in worker JVMs. */
public final class TestTasks implements ProcessTasks {

  @Override
  public void register(Registry tasks) {
    tasks.add("square", args -> (long) args.getInt(0) * args.getInt(0));
    tasks.add(
        "greet", args -> "hello " + args.getString(0) + " from " + ProcessHandle.current().pid());
    tasks.add(
        "fail",
        args -> {
          throw new IllegalStateException("task says " + args.getString(0));
        });
    tasks.add(
        "exit",
        args -> {
          System.exit(args.getInt(0));
          return null;
        });
    // Writes this JVM's pid to the file args[0], then sleeps args[1] ms: a test kills it meanwhile.
    tasks.add(
        "hang",
        args -> {
          Files.writeString(
              Path.of(args.getString(0)), String.valueOf(ProcessHandle.current().pid()));
          Thread.sleep(args.getLong(1));
          return "woke";
        });
    tasks.add("point", args -> new Point(args.getInt(0), args.getInt(1)));
  }

  public record Point(int x, int y) {}
}
