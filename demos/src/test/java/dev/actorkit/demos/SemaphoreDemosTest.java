package dev.actorkit.demos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.demos.cli.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The room and readers-writers scenarios through the command line, as the tour runs them. */
class SemaphoreDemosTest {

  @Test
  void roomAdmitsAtMostItsCapacityAndCountsWavesFromEntryTimes() {
    Map<String, String> json = run("room", "--people", "7", "--capacity", "2", "--stay", "4");
    assertThat(json)
        .containsKeys("scenario", "ok", "elapsed_ms", "people", "capacity", "max_inside", "waves");
    assertThat(json.get("ok")).isEqualTo("true");
    assertThat(json.get("people")).isEqualTo("7");
    assertThat(json.get("capacity")).isEqualTo("2");
    assertThat(Integer.parseInt(json.get("max_inside"))).isBetween(1, 2);
    // Seven people through a door for two: at least four waves; more only if a slow machine
    // spread one wave's entries over half a stay.
    assertThat(Integer.parseInt(json.get("waves"))).isBetween(4, 7);
    assertThat(Integer.parseInt(json.get("threads_max_inside"))).isBetween(1, 2);
  }

  @Test
  void readersWritersNeverLetAWriterInWithAnyone() {
    Map<String, String> json =
        run("readers-writers", "--readers", "4", "--writers", "2", "--rounds", "2");
    assertThat(json)
        .containsKeys(
            "ok", "elapsed_ms", "max_concurrent_readers", "writer_overlaps", "writer_max_wait_ms");
    assertThat(json.get("ok")).isEqualTo("true");
    assertThat(json.get("writer_overlaps")).isEqualTo("0");
    assertThat(json.get("threads_writer_overlaps")).isEqualTo("0");
    assertThat(Integer.parseInt(json.get("max_concurrent_readers"))).isBetween(1, 5);
    assertThat(Long.parseLong(json.get("writer_max_wait_ms"))).isNotNegative();
    assertThat(json.get("reads")).isEqualTo("8");
    assertThat(json.get("writes")).isEqualTo("4");
  }

  private static Map<String, String> run(String scenario, String... options) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args =
        new java.util.ArrayList<>(List.of("run", scenario, "--json", "--speed", "100"));
    args.addAll(List.of(options));
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Commands.commandLine(o, e).execute(args.toArray(String[]::new));
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as("exit code; stderr: %s", err.toString(StandardCharsets.UTF_8)).isZero();
    List<String> lines = printed.lines().toList();
    String last = lines.get(lines.size() - 1);
    assertThat(last).startsWith("{").endsWith("}");
    return flatJson(last);
  }

  /** The flat JSON line as name -> raw value (numbers, booleans; strings without quotes). */
  private static Map<String, String> flatJson(String line) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher m = Pattern.compile("\"([a-z_]+)\":(\"[^\"]*\"|[^,}]+)").matcher(line);
    while (m.find()) {
      fields.put(m.group(1), m.group(2).replace("\"", ""));
    }
    return fields;
  }
}
