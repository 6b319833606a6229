package dev.actorkit.patterns.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Work pulling: every job is done even when a worker crashes in the middle of one. */
class WorkQueueTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.create();

  @Test
  void aWorkerThatCrashesMidJobLosesNothing() {
    ActorRef<WorkQueue.Command<Integer>> queue =
        testKit.spawn(WorkQueue.create("jobs", WorkQueue.Settings.of(Integer.class, 4)), "jobs");
    TestProbe<Integer> done = testKit.createTestProbe();
    TestProbe<Integer> crashes = testKit.createTestProbe();
    Set<Integer> started = ConcurrentHashMap.newKeySet();
    AtomicBoolean crashed = new AtomicBoolean();
    WorkQueue.Handler<Integer> steady =
        job -> {
          started.add(job);
          done.ref().tell(job);
          return CompletableFuture.completedFuture(null);
        };
    WorkQueue.Handler<Integer> flaky =
        job -> {
          if (crashed.compareAndSet(false, true)) {
            crashes.ref().tell(job);
            return CompletableFuture.failedFuture(new IllegalStateException("crash on job " + job));
          }
          done.ref().tell(job);
          return CompletableFuture.completedFuture(null);
        };
    // Only the flaky worker exists at first, so it gets a job and crashes in the middle of it.
    testKit.spawn(WorkQueue.worker("jobs", flaky), "flaky");
    TestProbe<WorkQueue.Reply> submitter = testKit.createTestProbe();
    for (int job = 1; job <= 20; job++) {
      queue.tell(new WorkQueue.Submit<>(job, Duration.ofSeconds(30), submitter.ref()));
    }
    for (int job = 1; job <= 20; job++) {
      submitter.expectMessageClass(WorkQueue.Submitted.class, Duration.ofSeconds(20));
    }
    int crashedOn = crashes.receiveMessage(Duration.ofSeconds(20));
    testKit.spawn(WorkQueue.worker("jobs", steady), "steady");
    Set<Integer> finished = ConcurrentHashMap.newKeySet();
    while (finished.size() < 20) {
      finished.add(done.receiveMessage(Duration.ofSeconds(20)));
    }
    assertThat(finished).hasSize(20).contains(crashedOn);
  }

  @Test
  void aClientOfARunningQueueSubmitsButCannotAddWorkers() {
    ActorRef<WorkQueue.Command<String>> queue =
        testKit.spawn(
            WorkQueue.create("elsewhere", WorkQueue.Settings.of(String.class, 2)), "elsewhere");
    WorkQueueClient<String> client = WorkQueueClient.of(queue, testKit.system());
    client.submit("a", Duration.ofSeconds(5));
    assertThat(client.status().submitted()).isEqualTo(1);
    assertThatThrownBy(() -> client.addWorker("w", job -> CompletableFuture.completedFuture(null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("WorkQueue.worker");
    TestProbe<String> done = testKit.createTestProbe();
    testKit.spawn(
        WorkQueue.worker(
            "elsewhere",
            (String job) -> {
              done.ref().tell(job);
              return CompletableFuture.completedFuture(null);
            }),
        "elsewhere-worker");
    assertThat(done.receiveMessage(Duration.ofSeconds(20))).isEqualTo("a");
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> WorkQueue.Settings.of(String.class, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WorkQueue.Settings.of(null, 1))
        .isInstanceOf(NullPointerException.class);
  }
}
