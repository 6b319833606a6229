package dev.actorkit.demos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable-bank demo: the JVM that hosts the busiest accounts is killed mid-transfer, and a
 * restarted cluster finds the money; its JSON checked and its timeline read against it.
 */
class DurableBankDemoTest {

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void durableBankFinishesEveryTransferAfterTheBusiestAccountsJvmIsKilledAndARestartFindsTheMoney(
      @TempDir Path dir) throws Exception {
    Path trace = dir.resolve("durable-bank.html");
    DemoRun run = DemoRun.of("run", "durable-bank", "--json", "--trace", trace.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.lastLine())
        .startsWith("{\"scenario\":\"durable-bank\",\"ok\":true,")
        .contains(
            "\"processes\":3",
            "\"transfers\":60",
            "\"total_before\":6000",
            "\"total_after\":6000",
            "\"total_after_restart\":6000",
            "\"in_doubt_left\":0",
            "\"token_after_restart_greater\":true");
    assertThat(run.out()).contains("kill -9", "answers again", "a new cluster of one JVM");

    // The timeline of the parent's kits shows what sharding put in the parent JVM: the bank's
    // transfers, each asked and answered, and the vault's holds (the fresh cluster's always).
    TimelineTest.Timeline timeline = TimelineTest.Timeline.parse(Files.readString(trace));
    List<TimelineTest.Instant> bank =
        timeline.instants("actors").stream().filter(m -> m.primitive().equals("bank")).toList();
    if (run.lastLine().contains("\"bank_in_parent\":true")) {
      long requested = bank.stream().filter(m -> m.kind().equals("requested")).count();
      assertThat(requested).as("each transfer asked at least once").isGreaterThanOrEqualTo(60);
      assertThat(bank.stream().filter(m -> m.kind().equals("finished")).count())
          .as("each ask answered")
          .isEqualTo(requested);
    } else {
      assertThat(bank).as("the bank lives in a child JVM").isEmpty();
    }
    assertThat(timeline.spans("actors", "vault", "holding"))
        .extracting(TimelineTest.Span::token)
        .containsExactlyElementsOf(
            run.lastLine().contains("\"vault_in_parent\":true") ? List.of("1", "2") : List.of("2"));
  }
}
