package dev.actorkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
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
    // A timer of 2 story seconds, started through the kit clock, fires after 100 ms of (manual)
    // real time. The actor says when its timer is set, so the clock moves only after that.
    TestProbe<String> probe = testKit.createTestProbe();
    testKit.spawn(
        Behaviors.<String>setup(
            context ->
                Behaviors.withTimers(
                    timers -> {
                      timers.startSingleTimer(
                          "fired", KitClock.get(context.getSystem()).toReal(Duration.ofSeconds(2)));
                      probe.ref().tell("set");
                      return Behaviors.receiveMessage(
                          fired -> {
                            probe.ref().tell(fired);
                            return Behaviors.same();
                          });
                    })));
    probe.expectMessage("set");
    testKit.manualTime().timePasses(Duration.ofMillis(99));
    probe.expectNoMessage(Duration.ZERO);
    testKit.manualTime().timePasses(Duration.ofMillis(1));
    probe.expectMessage("fired");
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
