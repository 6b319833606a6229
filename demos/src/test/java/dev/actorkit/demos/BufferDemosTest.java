package dev.actorkit.demos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.demos.cli.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The buns, buns-stream, condition and work-pulling demos run end to end and report what they
 * observed.
 */
class BufferDemosTest {

  private static String run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Commands.commandLine(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .execute(args);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as("exit code; stderr: %s", err.toString(StandardCharsets.UTF_8)).isZero();
    List<String> lines = printed.lines().toList();
    return lines.get(lines.size() - 1);
  }

  private static long number(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
    assertThat(m.find()).as("%s in %s", field, json).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void bunsLosesNothingAndKeepsEachBakersOrder() {
    String json =
        run(
            "run",
            "buns",
            "--json",
            "--speed",
            "100",
            "--items",
            "12",
            "--capacity",
            "3",
            "--producers",
            "2",
            "--consumers",
            "3");
    assertThat(json).contains("\"scenario\":\"buns\"", "\"ok\":true");
    assertThat(number(json, "produced")).isEqualTo(12);
    assertThat(number(json, "consumed")).isEqualTo(12);
    assertThat(number(json, "max_in_basket")).isBetween(1L, 3L);
    assertThat(number(json, "lost")).isZero();
    assertThat(number(json, "duplicated")).isZero();
    assertThat(json).contains("\"order_preserved\":{\"baker-1\":true,\"baker-2\":true}");
  }

  @Test
  void bunsStreamReportsTheSameFigures() {
    String json =
        run("run", "buns-stream", "--json", "--speed", "100", "--items", "10", "--capacity", "2");
    assertThat(json).contains("\"scenario\":\"buns-stream\"", "\"ok\":true");
    assertThat(number(json, "produced")).isEqualTo(10);
    assertThat(number(json, "consumed")).isEqualTo(10);
    assertThat(number(json, "max_in_basket")).isBetween(1L, 2L);
    assertThat(number(json, "lost")).isZero();
    assertThat(number(json, "duplicated")).isZero();
    assertThat(json).contains("\"order_preserved\":{\"baker-1\":true,\"baker-2\":true}");
  }

  @Test
  void workPullingRedeliversTheCrashedJob() {
    String json =
        run("run", "work-pulling", "--json", "--speed", "100", "--items", "8", "--workers", "3");
    assertThat(json).contains("\"scenario\":\"work-pulling\"", "\"ok\":true");
    assertThat(number(json, "items")).isEqualTo(8);
    assertThat(number(json, "processed")).isEqualTo(8);
    assertThat(number(json, "redelivered")).isGreaterThanOrEqualTo(1);
    assertThat(number(json, "lost")).isZero();
  }

  @Test
  void conditionTellsTheBasketWithConditionsAndLosesNothing() {
    String json =
        run("run", "condition", "--json", "--speed", "100", "--items", "10", "--capacity", "2");
    assertThat(json).contains("\"scenario\":\"condition\"", "\"ok\":true");
    assertThat(number(json, "produced")).isEqualTo(10);
    assertThat(number(json, "consumed")).isEqualTo(10);
    assertThat(number(json, "max_in_basket")).isBetween(1L, 2L);
    assertThat(number(json, "notifies")).isEqualTo(20); // every put and every take notifies once
    assertThat(number(json, "wakeups")).isLessThanOrEqualTo(20);
    assertThat(json).contains("\"threads\":{", "\"buffer\":{");
  }
}
