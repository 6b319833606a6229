package dev.actorkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KitClockTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.onManualTime().withSpeed(20);

  @Test
  void storyTimeRunsSpeedTimesFaster() {
    KitClock clock = KitClock.withSpeed(20);
    assertThat(clock.toReal(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(100));
    assertThat(clock.toStory(Duration.ofMillis(100))).isEqualTo(Duration.ofSeconds(2));
    assertThat(KitClock.withSpeed(0.5).toReal(Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(KitClock.withSpeed(1).toReal(Duration.ofMillis(1234)))
        .isEqualTo(Duration.ofMillis(1234));
  }

  @Test
  void speedMustBePositiveAndFinite() {
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> KitClock.withSpeed(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("positive");
    }
  }

  @Test
  void theSystemsClockReadsItsSpeedFromConfig() {
    assertThat(testKit.clock().speed()).isEqualTo(20.0);
  }

  @Test
  void actorTimersRunOnStoryTime() {
    // A join watcher with a 2-second story deadline fires after 100 ms of (manual) real time.
    ActorRef<String> forever = testKit.spawn(Behaviors.ignore());
    CompletableFuture<Done> stopped = new CompletableFuture<>();
    testKit.spawn(Joiner.create(forever, Duration.ofSeconds(2), stopped));

    testKit.manualTime().timePasses(Duration.ofMillis(99));
    assertThat(stopped).isNotDone();
    testKit.manualTime().timePasses(Duration.ofMillis(1));
    assertThatThrownBy(stopped::join).hasCauseInstanceOf(TimedOutException.class);
  }

  @Test
  void storyNowAdvancesFasterThanRealTime() {
    KitClock clock = KitClock.withSpeed(1000);
    Duration before = clock.now();
    long realStart = System.nanoTime();
    while (System.nanoTime() - realStart < 2_000_000) {
      Thread.onSpinWait();
    }
    assertThat(clock.now().minus(before)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
  }
}
