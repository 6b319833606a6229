package dev.actorkit.demos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover demo, three JVMs in one cluster: one holder is frozen, another killed, and what they
 * held comes back; its JSON checked and its timeline read against it.
 */
class FailoverDemoTest {

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void failoverRefusesTheFrozenHoldersLateWriteAndGivesBackTheKilledOnesPermits(@TempDir Path dir)
      throws Exception {
    Path trace = dir.resolve("failover.html");
    DemoRun run = DemoRun.of("run", "failover", "--json", "--trace", trace.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.lastLine())
        .startsWith("{\"scenario\":\"failover\",\"ok\":true,")
        .contains(
            "\"processes\":3",
            "\"stale_write_refused\":true",
            "\"token_before\":1",
            "\"token_after\":2",
            "\"parent_up\":true");
    assertThat(run.out()).contains("late withdrawal: refused", "both permits came back");

    // The parent's timeline shows the child JVMs' callers by their node's label, and the cook.
    TimelineTest.Timeline timeline = TimelineTest.Timeline.parse(Files.readString(trace));
    List<TimelineTest.Span> till = timeline.spans("actors", "till", "holding");
    assertThat(till)
        .extracting(TimelineTest.Span::token, TimelineTest.Span::endKind)
        .containsExactly(tuple("1", "revoked"), tuple("2", "released"));
    assertThat(holder(timeline, "till", "1")).isEqualTo("caller@holder");
    assertThat(holder(timeline, "till", "2")).isEqualTo("cook");
    // the cook waited for the frozen holder and got the till when its hold was revoked
    List<TimelineTest.Span> cookWaits = timeline.lane("actors", "cook", "till").spans("waiting");
    assertThat(cookWaits).hasSize(1);
    assertThat(cookWaits.get(0).endKind()).isEqualTo("granted");
    assertThat(cookWaits.get(0).end()).isEqualTo(till.get(1).start());
    assertThat(cookWaits.get(0).start())
        .as("the cook waited while the frozen holder held the till")
        .isLessThan(till.get(0).end());
    // the baker's JVM held both oven permits until it was killed, then the cook had them
    List<TimelineTest.Span> oven = timeline.spans("actors", "oven", "holding");
    assertThat(oven)
        .extracting(TimelineTest.Span::token, TimelineTest.Span::endKind)
        .containsExactly(tuple("1", "revoked"), tuple("2", "released"));
    assertThat(holder(timeline, "oven", "1")).isEqualTo("caller@baker");
    assertThat(TimelineTest.maxOverlap(oven)).isEqualTo(1);
  }

  /** Whose lane holds the span of {@code primitive} with {@code token}. */
  private static String holder(TimelineTest.Timeline timeline, String primitive, String token) {
    return timeline.lanes("actors", lane -> true).stream()
        .filter(
            lane ->
                lane.spans("holding").stream()
                    .anyMatch(s -> s.primitive().equals(primitive) && s.token().equals(token)))
        .map(TimelineTest.Lane::participant)
        .findFirst()
        .orElse("nobody");
  }
}
