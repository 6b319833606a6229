package dev.actorkit.core.testing;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.actorkit.core.KitClock;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link ActorTestKit} per test class, for JUnit 5 (Akka 2.8 ships only a JUnit 4 rule).
 *
 * <pre>{@code
 * class MutexTest {
 *   @RegisterExtension static final KitTestKit testKit = KitTestKit.onManualTime();
 *
 *   @Test void grantsInOrder() {
 *     TestProbe<Mutex.Reply> alice = testKit.createTestProbe();
 *     ...
 *     testKit.manualTime().timePasses(Duration.ofSeconds(2));
 *   }
 * }
 * }</pre>
 *
 * <p>The actor system starts before the class's first test and is shut down after its last.
 * Register it as a {@code static} field. The system is named after the test class.
 */
public final class KitTestKit implements BeforeAllCallback, AfterAllCallback {

  private final Config config;
  private final boolean manualTime;
  private ActorTestKit testKit;

  private KitTestKit(Config config, boolean manualTime) {
    this.config = config;
    this.manualTime = manualTime;
  }

  /** An actor system on real time, at speed 1. */
  public static KitTestKit create() {
    return new KitTestKit(ConfigFactory.empty(), false);
  }

  /** An actor system whose timers advance only through {@link #manualTime()}. */
  public static KitTestKit onManualTime() {
    return new KitTestKit(ManualTime.config(), true);
  }

  /** The same kit with {@code hocon} taking precedence over its configuration. */
  public KitTestKit withConfig(String hocon) {
    return new KitTestKit(ConfigFactory.parseString(hocon).withFallback(config), manualTime);
  }

  /** The same kit with the kit clock running at {@code speed}. */
  public KitTestKit withSpeed(double speed) {
    return withConfig("actorkit.clock.speed = " + speed);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    String name = context.getRequiredTestClass().getSimpleName();
    testKit = ActorTestKit.create(name, config.withFallback(ConfigFactory.load()).resolve());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (testKit != null) {
      testKit.shutdownTestKit();
      testKit = null;
    }
  }

  /** The Akka test kit itself. */
  public ActorTestKit testKit() {
    if (testKit == null) {
      throw new IllegalStateException(
          "KitTestKit is used outside a test: register it as a static @RegisterExtension field");
    }
    return testKit;
  }

  /** The actor system under test. */
  public ActorSystem<Void> system() {
    return testKit().system();
  }

  /** The kit clock of the system under test. */
  public KitClock clock() {
    return KitClock.get(system());
  }

  /** The manual clock; only for a kit made with {@link #onManualTime()}. */
  public ManualTime manualTime() {
    if (!manualTime) {
      throw new IllegalStateException(
          "this KitTestKit runs on real time; make it with KitTestKit.onManualTime()");
    }
    return ManualTime.get(system());
  }

  public <T> TestProbe<T> createTestProbe() {
    return testKit().createTestProbe();
  }

  public <T> TestProbe<T> createTestProbe(Class<T> messageClass) {
    return testKit().createTestProbe(messageClass);
  }

  public <T> ActorRef<T> spawn(Behavior<T> behavior) {
    return testKit().spawn(behavior);
  }

  public <T> ActorRef<T> spawn(Behavior<T> behavior, String name) {
    return testKit().spawn(behavior, name);
  }
}
