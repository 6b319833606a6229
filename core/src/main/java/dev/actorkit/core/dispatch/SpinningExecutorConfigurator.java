package dev.actorkit.core.dispatch;

import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ExecutorServiceConfigurator;
import akka.dispatch.ExecutorServiceFactory;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;

/**
 * Lets an Akka dispatcher run on a {@link SpinningExecutor}: {@code executor =
 * "dev.actorkit.core.dispatch.SpinningExecutorConfigurator"}, with the settings in the dispatcher's
 * {@code spinning-executor} section:
 *
 * <pre>
 * spinning-executor {
 *   parallelism-min = 1       # threads: cores × factor, kept between min and max,
 *   parallelism-factor = 1.0  # as for Akka's fork-join-executor
 *   parallelism-max = 64
 *   spin = 50us               # how long an idle worker polls before it parks; 0 never spins
 * }
 * </pre>
 */
public final class SpinningExecutorConfigurator extends ExecutorServiceConfigurator {

  /** The section of a dispatcher's configuration this reads. */
  public static final String SECTION = "spinning-executor";

  private final int threads;
  private final Duration spin;

  /** Called by Akka with the dispatcher's whole configuration. */
  public SpinningExecutorConfigurator(Config dispatcher, DispatcherPrerequisites prerequisites) {
    super(dispatcher, prerequisites);
    Config section = dispatcher.getConfig(SECTION);
    if (section.getInt("parallelism-min") < 1
        || section.getInt("parallelism-max") < section.getInt("parallelism-min")
        || section.getDouble("parallelism-factor") <= 0
        || section.getDuration("spin").isNegative()) {
      // refused when the dispatcher is configured, not when an actor first needs it
      throw new IllegalArgumentException(
          SECTION
              + " needs 1 <= parallelism-min <= parallelism-max, a positive parallelism-factor"
              + " and a spin of zero or more: "
              + section.root().render(com.typesafe.config.ConfigRenderOptions.concise()));
    }
    this.threads = threads(section, Runtime.getRuntime().availableProcessors());
    this.spin = section.getDuration("spin");
  }

  /** The thread count {@code section} asks for on a machine with {@code cores} cores. */
  public static int threads(Config section, int cores) {
    return Math.max(
        section.getInt("parallelism-min"),
        Math.min(
            section.getInt("parallelism-max"),
            (int) Math.ceil(cores * section.getDouble("parallelism-factor"))));
  }

  @Override
  public ExecutorServiceFactory createExecutorServiceFactory(
      String id, ThreadFactory threadFactory) {
    return () -> new SpinningExecutor(threads, spin, threadFactory);
  }
}
