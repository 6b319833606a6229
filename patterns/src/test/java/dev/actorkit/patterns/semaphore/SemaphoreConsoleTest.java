package dev.actorkit.patterns.semaphore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.console.KitConsole;
import dev.actorkit.core.testing.EventStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The live console end to end with a real {@link Semaphore}: a thread named Ann takes a permit
 * through the client, and the console's event stream shows the grant and Ann holding it, then the
 * release.
 */
class SemaphoreConsoleTest {

  private static final Pattern GRANT_TO =
      Pattern.compile(
          "\"actor\":\"primitives/room\",\"kind\":\"granted\",\"participant\":\"([^\"]*)\"");

  @Test
  void aGrantAppearsLiveWithTheCallingThreadAsItsHolder() throws Exception {
    try (ActorKit kit = ActorKit.create("SemaphoreConsoleTest");
        KitConsole console = kit.console(0);
        EventStream stream = EventStream.open(console.uri())) {
      stream.await("state");
      SemaphoreClient room = SemaphoreClient.create(kit, "room", Semaphore.Settings.bounded(1));

      CompletableFuture<Permit> taken = new CompletableFuture<>();
      Thread ann = new Thread(() -> taken.complete(room.acquire()), "Ann");
      ann.start();
      Permit permit = taken.get(10, TimeUnit.SECONDS);

      String update = stream.await("update", "\"actor\":\"primitives/room\",\"kind\":\"granted\"");
      Matcher grant = GRANT_TO.matcher(update);
      assertThat(grant.find()).isTrue();
      assertThat(grant.group(1)).isEqualTo("Ann");
      assertThat(update).contains("\"holders\":[{\"participant\":\"Ann\",");

      permit.close();
      String released =
          stream.await("update", "\"actor\":\"primitives/room\",\"kind\":\"released\"");
      assertThat(released)
          .contains("\"actor\":\"primitives/room\",\"threads\":false,\"holders\":[]");
    }
  }
}
