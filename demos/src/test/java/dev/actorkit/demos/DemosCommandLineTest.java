package dev.actorkit.demos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    assertThat(run.out())
        .contains("ping -> pong: hello #4", "pong -> ping: hello back #4", "join(ping) returned");
    assertThat(run.out()).contains("primitives", "actorkit.dispatchers.coordination");
  }

  @Test
  void treeShowsTheDispatchersAndWhichActorsRunOnThem() {
    DemoRun run = DemoRun.of("tree");
    assertThat(run.exitCode()).isZero();
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(run.out())
        .containsPattern(
            "actorkit\\.dispatchers\\.coordination +spinning-executor +"
                + Math.max(1, (cores + 1) / 2)
                + " +100")
        .containsPattern("actorkit\\.dispatchers\\.blocking +thread-pool-executor +16 +1\\b")
        .containsPattern(
            "actorkit\\.dispatchers\\.compute +fork-join-executor +" + cores + " +1\\b")
        .containsPattern("downloads +actorkit\\.dispatchers\\.coordination")
        .containsPattern("(?s)downloads.*worker-1 +actorkit\\.dispatchers\\.blocking")
        .containsPattern("(?s)primes.*worker-1 +actorkit\\.dispatchers\\.compute")
        .containsPattern("till +actorkit\\.dispatchers\\.coordination")
        .containsPattern("├── pools +actorkit\\.dispatchers\\.coordination")
        .containsPattern("├── primitives +actorkit\\.dispatchers\\.coordination")
        .containsPattern("└── system +actorkit\\.dispatchers\\.coordination");
  }

  @Test
  void traceIsWrittenAsAnHtmlTimeline(@TempDir Path dir) throws Exception {
    Path trace = dir.resolve("hello.html");
    DemoRun run = DemoRun.of("run", "hello", "--trace", trace.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    String page = Files.readString(trace);
    assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg", "hello", "story time");
    assertThat(page).as("hello traces its greetings").doesNotContain("<p>0 events");
    // ping and pong each have a lane, and ping's wait for each answer is drawn as a span.
    assertThat(page)
        .contains("data-participant=\"ping\"", "data-participant=\"pong\"")
        .contains("ping sent hello #1 to pong", "ping waits on ping for hello back #1")
        .contains("class=\"span waiting\"");
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
  void runWithoutAScenarioExitsTwoWithTheList() {
    DemoRun run = DemoRun.of("run");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("name the scenario to run", "hello", "process-pool", "manager");
  }

  @Test
  void everyOptionIsCheckedBeforeTheStoryStarts() {
    // Each refused before the kit starts: nothing of the story is printed.
    for (String[] args :
        List.of(
            new String[] {"run", "deadlock", "--interval", "0"},
            new String[] {"run", "room", "--stay", "-1"},
            new String[] {"run", "manager", "--items", "1001"},
            new String[] {"run", "pool-map", "--slow-item", "10"},
            new String[] {"run", "readers-writers", "--readers", "0", "--writers", "0"},
            new String[] {"run", "work-pulling", "--items", "2", "--crash-at", "3"})) {
      DemoRun run = DemoRun.of(args);
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.err()).as(String.join(" ", args)).startsWith("error: --");
      assertThat(run.out()).as(String.join(" ", args)).doesNotContain("==");
    }
    assertThat(DemoRun.of("run", "deadlock", "--interval", "0").err())
        .contains("--interval must be above 0, was 0.0");
    assertThat(DemoRun.of("run", "room", "--help").out()).contains("above 0", "at least 1");
  }

  @Test
  void stepsTooShortInRealTimeForTheThreadsHalfAreRefusedSayingWhy() {
    DemoRun barrier = DemoRun.of("run", "barrier", "--lap", "0.001", "--speed", "50");
    assertThat(barrier.exitCode()).isEqualTo(2);
    assertThat(barrier.err())
        .contains("--lap 0.001 at --speed 50.0 is 0.02 ms of real time; it must be at least 20 ms");
    DemoRun taskGroup = DemoRun.of("run", "task-group", "--download", "0.1", "--fail-after", "0.1");
    assertThat(taskGroup.exitCode()).isEqualTo(2);
    assertThat(taskGroup.err()).contains("--download must be at least twice --fail-after");
    DemoRun tooFast = DemoRun.of("run", "task-group", "--speed", "1000");
    assertThat(tooFast.exitCode()).isEqualTo(2);
    assertThat(tooFast.err())
        .contains(
            "--download 10.0 and --fail-after 1.0 at --speed 1000.0 leave 9.0 ms of real time to"
                + " cancel the other downloads once b.txt fails; it must be at least 50 ms");
  }

  @Test
  void aTraceFileThatCannotBeWrittenIsRefusedAtTheStart(@TempDir Path dir) {
    DemoRun missingFolder =
        DemoRun.of("run", "hello", "--trace", dir.resolve("no/such/folder/t.html").toString());
    assertThat(missingFolder.exitCode()).isEqualTo(2);
    assertThat(missingFolder.err()).contains("cannot be written");
    assertThat(missingFolder.out()).doesNotContain("==");
    DemoRun folder = DemoRun.of("run", "hello", "--trace", dir.toString());
    assertThat(folder.exitCode()).isEqualTo(2);
    assertThat(folder.err()).contains("is a directory");
  }

  @Test
  void stepsShorterThanTheTimerTickStillFinishAndTheStorySaysSo() {
    DemoRun run =
        DemoRun.of(
            "run", "buns", "--json", "--speed", "50", "--items", "60", "--bake", "0.01", "--eat",
            "0.02");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "note: --bake 0.01 s at --speed 50.0 is 0.20 ms of real time, below the scheduler's 10 ms tick");
    assertThat(run.lastLine()).contains("\"ok\":true", "\"produced\":60", "\"consumed\":60");
  }

  @Test
  void tourRunsEveryScenarioButTheSkippedOnesAndSummarises() {
    // The scenarios that start other JVMs have tests of their own, which check their JSON
    // (FailoverDemoTest, DurableBankDemoTest, PipeAndManagerDemoTest for pipe and manager,
    // PoolDemosTest for process-pool); here they would only add two minutes of JVM starts and real
    // failure
    // detection to a suite that must stay under ten.
    List<String> skipped = List.of("failover", "durable-bank", "pipe", "manager", "process-pool");
    DemoRun run = DemoRun.of("tour", "--speed", "100", "--skip", String.join(",", skipped));
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("Tour summary");
    for (Scenario scenario : Scenarios.all()) {
      if (skipped.contains(scenario.name())) {
        assertThat(run.out()).doesNotContainPattern("(?m)^" + scenario.name() + " +");
      } else {
        assertThat(run.out()).containsPattern("(?m)^" + scenario.name() + " +yes ");
      }
    }
    assertThat(DemoRun.of("tour", "--skip", "no-such-scenario").exitCode()).isEqualTo(2);
  }
}
