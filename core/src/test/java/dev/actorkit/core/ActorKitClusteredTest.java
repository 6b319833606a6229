package dev.actorkit.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** core does not depend on Akka Cluster; the cluster module tests the clustered kit itself. */
class ActorKitClusteredTest {

  @Test
  void clusteredWithoutAkkaClusterOnTheClasspathSaysWhatIsMissing() {
    assertThatThrownBy(() -> ActorKit.clustered(ConfigFactory.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("actorkit-cluster");
  }
}
