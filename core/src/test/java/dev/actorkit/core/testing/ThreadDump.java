package dev.actorkit.core.testing;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every live thread's name, state and stack, as text: for the message of a test that timed out
 * waiting for something that should have ended, so that its report says where it stood.
 */
public final class ThreadDump {

  private ThreadDump() {}

  /** All threads, by name. */
  public static String all() {
    return Thread.getAllStackTraces().entrySet().stream()
        .sorted(Map.Entry.comparingByKey((a, b) -> a.getName().compareTo(b.getName())))
        .map(
            entry -> {
              StringBuilder text =
                  new StringBuilder("\"")
                      .append(entry.getKey().getName())
                      .append("\" ")
                      .append(entry.getKey().getState());
              for (StackTraceElement frame : entry.getValue()) {
                text.append("\n    at ").append(frame);
              }
              return text.toString();
            })
        .collect(Collectors.joining("\n"));
  }
}
