package dev.actorkit.demos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.demos.cli.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The atm-race, deadlock and bank demos run through the command line and report their figures. */
class MutexDemosTest {

  private static String run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] all = Stream.concat(Stream.of("run"), Stream.of(args)).toArray(String[]::new);
    int code =
        Commands.commandLine(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .execute(all);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as("exit code; stderr: %s; stdout: %s", err, printed).isZero();
    List<String> lines = printed.lines().toList();
    return lines.get(lines.size() - 1);
  }

  private static String field(String json, String name) {
    Matcher matcher =
        Pattern.compile("\"" + name + "\":\\s*(\\[[^\\]]*\\]|\"[^\"]*\"|[^,}]+)").matcher(json);
    assertThat(matcher.find()).as("%s in %s", name, json).isTrue();
    return matcher.group(1).trim();
  }

  @Test
  void atmRaceShowsTheRaceAndBothCures() {
    String json = run("atm-race", "--json", "--speed", "100");
    assertThat(field(json, "ok")).isEqualTo("true");
    assertThat(field(json, "unsafe_balance")).isEqualTo("-60");
    assertThat(field(json, "locked_balance")).isEqualTo("20");
    assertThat(field(json, "actor_balance")).isEqualTo("20");
    assertThat(field(json, "actor_refused")).isEqualTo("1");
  }

  @Test
  void deadlockIsNamedAndBrokenAndTheFixFinishes() {
    String json = run("deadlock", "--json", "--speed", "100");
    assertThat(field(json, "ok")).isEqualTo("true");
    assertThat(field(json, "deadlock_detected")).isEqualTo("true");
    assertThat(field(json, "cycle")).contains("cook-1", "cook-2", "knife", "pot");
    assertThat(field(json, "fixed_finished")).isEqualTo("true");
  }

  @Test
  void bankKeepsTheTotal() {
    String json = run("bank", "--json", "--speed", "100", "--accounts", "4", "--transfers", "100");
    assertThat(field(json, "ok")).isEqualTo("true");
    assertThat(field(json, "total_before")).isEqualTo("400");
    assertThat(field(json, "total_after")).isEqualTo("400");
    int ok = Integer.parseInt(field(json, "transfers_ok"));
    int refused = Integer.parseInt(field(json, "transfers_refused"));
    assertThat(ok + refused).isEqualTo(100);
    assertThat(ok).isPositive();
  }
}
