package dev.actorkit.demos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.demos.cli.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hotpot and barrier scenarios, run through the command line as a user would. */
class EventDemosTest {

  private static String run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Commands.commandLine(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .execute(args);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as("exit code; stderr: %s", err.toString(StandardCharsets.UTF_8)).isZero();
    String[] lines = printed.strip().split("\n");
    return lines[lines.length - 1];
  }

  private static double number(String json, String field) {
    Matcher matcher = Pattern.compile("\"" + field + "\":(-?[0-9.]+)").matcher(json);
    assertThat(matcher.find()).as("field %s in %s", field, json).isTrue();
    return Double.parseDouble(matcher.group(1));
  }

  @Test
  void hotpotWakesEveryFriendAfterTheSignal() {
    String json = run("run", "hotpot", "--json", "--speed", "100");
    assertThat(json).contains("\"scenario\":\"hotpot\"", "\"ok\":true");
    assertThat(number(json, "friends")).isEqualTo(2);
    assertThat(number(json, "woke")).isEqualTo(2);
    assertThat(number(json, "ate_before_signal")).isZero();
    assertThat(number(json, "wake_spread_ms")).isNotNegative();
  }

  @Test
  void hotpotSeatsAThousandFriends() {
    String json =
        run("run", "hotpot", "--json", "--speed", "100", "--friends", "1000", "--countdown", "1");
    assertThat(json).contains("\"ok\":true");
    assertThat(number(json, "friends")).isEqualTo(1000);
    assertThat(number(json, "woke")).isEqualTo(1000);
    assertThat(number(json, "ate_before_signal")).isZero();
  }

  @Test
  void barrierPassesGenerationsAndBreaksWhenARunnerFallsIll() {
    String json = run("run", "barrier", "--json", "--speed", "100");
    assertThat(json).contains("\"scenario\":\"barrier\"", "\"ok\":true");
    assertThat(number(json, "generations")).isEqualTo(3);
    assertThat(number(json, "broken_seen")).isEqualTo(3);
  }
}
