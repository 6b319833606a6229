package dev.actorkit.demos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demos with real child JVMs (pipe, manager, failover, durable-bank): bounded in time, JSON
 * checked.
 */
class PipeAndManagerDemoTest {

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void pipeGreetsInOneJvmThenAcrossTwoAndSeesTheEndOfStream() {
    DemoRun run = DemoRun.of("run", "pipe", "--json", "--speed", "100");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.lastLine())
        .startsWith("{\"scenario\":\"pipe\",\"ok\":true,")
        .contains("\"messages\":6", "\"eof_seen\":true", "\"processes\":2");
    assertThat(run.out())
        .contains("parent got 你好!", "[child JVM] child got Hello!", "EndOfStreamException");
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void failoverRefusesTheFrozenHoldersLateWriteAndGivesBackTheKilledOnesPermits() {
    DemoRun run = DemoRun.of("run", "failover", "--json");
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
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void
      durableBankFinishesEveryTransferAfterTheBusiestAccountsJvmIsKilledAndARestartFindsTheMoney() {
    DemoRun run = DemoRun.of("run", "durable-bank", "--json");
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
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void managerSeesWhatTheChildJvmWrote() {
    DemoRun run = DemoRun.of("run", "manager", "--json", "--speed", "100", "--items", "4");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.lastLine())
        .startsWith("{\"scenario\":\"manager\",\"ok\":true,")
        .contains("\"list_size\":4", "\"dict_size\":6", "\"processes\":2");
    assertThat(run.out())
        .contains("parent sees list[3] = item-3 from pid", "d['fruits'] is [apple]");
  }
}
