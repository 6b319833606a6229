package dev.actorkit.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.testing.Eventually;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The store the durable tests run on: an H2 file in the test's own directory, or, when the Maven
 * profile {@code postgres} runs them ({@code -Dactorkit.durable.test-store=postgres}), the
 * PostgreSQL server the profile's system properties name.
 */
final class DurableStores {

  private DurableStores() {}

  static boolean onPostgres() {
    return "postgres".equals(System.getProperty("actorkit.durable.test-store"));
  }

  /** A node's configuration on a free port, with its store in {@code dir} (H2). */
  static Config node(Path dir) {
    Config port = ClusterNode.port(0);
    if (onPostgres()) {
      return port;
    }
    return ConfigFactory.parseMap(
            Map.of("akka-persistence-jdbc.shared-databases.actorkit.db.url", h2Url(dir)))
        .withFallback(port);
  }

  static String h2Url(Path dir) {
    return "jdbc:h2:file:"
        + dir.toAbsolutePath().resolve("actorkit")
        + ";AUTO_SERVER=TRUE;DATABASE_TO_UPPER=false";
  }

  /**
   * The options of a child JVM on the same store: the parent's own H2 file, or the PostgreSQL
   * settings the profile gave this JVM.
   */
  static List<String> childJvmOptions(Path dir) {
    List<String> options =
        new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    if (onPostgres()) {
      System.getProperties()
          .stringPropertyNames()
          .forEach(
              key -> {
                if (key.startsWith("akka-persistence-jdbc.")
                    || key.startsWith("actorkit.durable")) {
                  options.add("-D" + key + "=" + System.getProperty(key));
                }
              });
    } else {
      options.add("-Dakka-persistence-jdbc.shared-databases.actorkit.db.url=" + h2Url(dir));
    }
    return options;
  }

  /**
   * Until {@code condition} holds, for up to 60 s: a state that messages already on their way will
   * bring about (a waiter queued by an async call), or a recovery after a JVM died.
   */
  static void awaitTrue(String what, BooleanSupplier condition) {
    Eventually.eventually(
        Duration.ofSeconds(60), () -> assertThat(condition.getAsBoolean()).as(what).isTrue());
  }

  /**
   * Runs {@code writes} while the H2 store in {@code dir} refuses every new row of {@code table}
   * (an H2 trigger, {@link RefuseWrites}), and reads as usual.
   */
  static void refusingInserts(Path dir, String table, Runnable writes) throws SQLException {
    try (Connection db = DriverManager.getConnection(h2Url(dir), "sa", "");
        Statement sql = db.createStatement()) {
      sql.execute(
          "CREATE TRIGGER IF NOT EXISTS \"refuse_"
              + table
              + "\" BEFORE INSERT ON \""
              + table
              + "\" FOR EACH ROW CALL \""
              + RefuseWrites.class.getName()
              + "\"");
      RefuseWrites.refusing = true;
      try {
        writes.run();
      } finally {
        RefuseWrites.refusing = false;
      }
    }
  }

  /** A name no other test (or earlier run, on a shared PostgreSQL) has used. */
  static String fresh(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
