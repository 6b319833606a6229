package dev.actorkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.BehaviorTestKit;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Pattern behaviours look up the clock and the tracer; they must run under BehaviorTestKit too. */
class BehaviorTestKitSupportTest {

  private static Behavior<String> timed() {
    return Behaviors.setup(
        context -> {
          KitClock clock = KitClock.get(context.getSystem());
          Tracer tracer = Tracer.get(context.getSystem());
          return Behaviors.receive(String.class)
              .onAnyMessage(
                  message -> {
                    tracer.emit(context.getSelf(), "got", message);
                    context
                        .getLog()
                        .info("{} lasts {}", message, clock.toReal(Duration.ofSeconds(2)));
                    return Behaviors.same();
                  })
              .build();
        });
  }

  @Test
  void clockAndTracerWorkOnTheStubSystem() {
    BehaviorTestKit<String> test = BehaviorTestKit.create(timed());
    test.run("hello");
    assertThat(test.getAllLogEntries())
        .extracting(entry -> entry.message())
        .containsExactly("hello lasts PT2S");
  }
}
