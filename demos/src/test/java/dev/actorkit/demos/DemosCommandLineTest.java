package dev.actorkit.demos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemosCommandLineTest {

  @Test
  void listNamesEveryScenario() {
    DemoRun run = DemoRun.of("list");
    assertThat(run.exitCode()).isZero();
    for (Scenario scenario : Scenarios.all()) {
      assertThat(run.out()).contains(scenario.name(), scenario.title());
    }
  }

  @Test
  void helloWithJsonEndsWithItsFigures() {
    DemoRun run = DemoRun.of("run", "hello", "--json", "--rounds", "4");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.lastLine())
        .startsWith("{\"scenario\":\"hello\",\"ok\":true,\"elapsed_ms\":")
        .endsWith("\"rounds\":4,\"hellos_answered\":4}");
    assertThat(run.out()).contains("ping -> pong: hello #4", "pong -> ping: hello back #4", "join(ping) returned");
    assertThat(run.out()).contains("primitives", "actorkit.dispatchers.coordination");
  }

  @Test
  void treeShowsTheThreeBranchesWithTheirDispatchers() {
    DemoRun run = DemoRun.of("tree");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .containsPattern("├── pools +actorkit\\.dispatchers\\.coordination")
        .containsPattern("├── primitives +actorkit\\.dispatchers\\.coordination")
        .containsPattern("└── system +actorkit\\.dispatchers\\.coordination");
  }

  @Test
  void traceIsWrittenAsAnHtmlTimeline(@TempDir Path dir) throws Exception {
    Path trace = dir.resolve("hello.html");
    DemoRun run = DemoRun.of("run", "hello", "--trace", trace.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(trace)).startsWith("<!DOCTYPE html>").contains("<svg", "hello");
  }

  @Test
  void unknownScenarioIsAUsageError() {
    DemoRun run = DemoRun.of("run", "no-such-scenario");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no-such-scenario");
  }

  @Test
  void unknownOptionIsAUsageError() {
    DemoRun run = DemoRun.of("run", "hello", "--people", "3");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--people");
  }

  @Test
  void badValuesAreUsageErrors() {
    assertThat(DemoRun.of("run", "hello", "--rounds", "many").exitCode()).isEqualTo(2);
    DemoRun zero = DemoRun.of("run", "hello", "--rounds", "0");
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).contains("--rounds must be at least 1");
    assertThat(DemoRun.of("run", "hello", "--speed", "0").exitCode()).isEqualTo(2);
  }

  @Test
  void tourRunsEveryScenarioAndSummarises() {
    DemoRun run = DemoRun.of("tour", "--speed", "100");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("Tour summary");
    for (Scenario scenario : Scenarios.all()) {
      assertThat(run.out()).containsPattern("(?m)^" + scenario.name() + " +yes ");
    }
  }
}
