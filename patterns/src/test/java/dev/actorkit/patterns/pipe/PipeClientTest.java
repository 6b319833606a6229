package dev.actorkit.patterns.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.EndOfStreamException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The plain-Java client on a real kit: Python's Pipe() from both ends. */
class PipeClientTest {

  private static ActorKit kit;

  record Greeting(String text, int times) implements KitMessage {}

  @BeforeAll
  static void start() {
    kit = ActorKit.create("PipeClientTest", ActorKit.speed(100));
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  @Test
  void theGreetingGoesBothWaysWithItsTypes() {
    PipeClient.Ends pipe = PipeClient.open(kit, "greeting", true);
    pipe.first().send("Hello!");
    assertThat(pipe.second().recv()).isEqualTo("Hello!");
    pipe.second().send("你好!");
    assertThat(pipe.first().recv()).isEqualTo("你好!");
    pipe.first().send(7);
    pipe.first().send(7L);
    pipe.first().send(2.5);
    pipe.first().send(new BigInteger("123456789012345678901234567890"));
    pipe.first().send(new byte[] {1, 2, 3});
    pipe.first().send(new Greeting("hi", 2));
    assertThat(pipe.second().recv()).isEqualTo(7);
    assertThat(pipe.second().recv()).isEqualTo(7L);
    assertThat(pipe.second().recv()).isEqualTo(2.5);
    assertThat(pipe.second().recv()).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat((byte[]) pipe.second().recv()).containsExactly(1, 2, 3);
    assertThat(pipe.second().recv()).isEqualTo(new Greeting("hi", 2));
  }

  @Test
  void refusesWhatAPipeCannotCarryWithAClearError() {
    PipeClient.Ends pipe = PipeClient.open(kit, "picky", true);
    assertThatThrownBy(() -> pipe.first().send(new Object()))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("KitMessage, String")
        .hasMessageContaining("java.lang.Object");
    assertThatThrownBy(() -> pipe.first().send(List.of(1, 2)))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("a list is not one of them");
    assertThatThrownBy(() -> pipe.first().send(null))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("null");
    assertThat(pipe.second().poll(Duration.ZERO)).isFalse();
  }

  @Test
  void oneWayPipeRefusesSendAtTheReceivingEnd() {
    PipeClient.Ends pipe = PipeClient.open(kit, "one-way", false);
    assertThatThrownBy(() -> pipe.first().send("up"))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("cannot send");
    pipe.second().send("down");
    assertThat(pipe.first().recv()).isEqualTo("down");
  }

  @Test
  void recvAfterCloseDrainsThenRaisesEndOfStream() {
    PipeClient.Ends pipe = PipeClient.open(kit, "eof", true);
    pipe.first().send("a");
    pipe.first().send("b");
    pipe.first().close();
    assertThat(pipe.second().recv()).isEqualTo("a");
    assertThat(pipe.second().recv()).isEqualTo("b");
    assertThatThrownBy(() -> pipe.second().recv()).isInstanceOf(EndOfStreamException.class);
    assertThatThrownBy(() -> pipe.second().send("c"))
        .isInstanceOf(ClosedException.class)
        .hasMessageContaining("broken pipe");
    assertThatThrownBy(() -> pipe.first().recv())
        .isInstanceOf(ClosedException.class)
        .isNotInstanceOf(EndOfStreamException.class);
  }

  @Test
  void recvTimesOutWhenNothingComes() {
    PipeClient.Ends pipe = PipeClient.open(kit, "quiet", true);
    assertThatThrownBy(() -> pipe.second().recv(Duration.ofSeconds(1)))
        .isInstanceOf(TimedOutException.class);
  }

  @Test
  void manyAsyncSendsFromOneThreadArriveInOrder() {
    PipeClient.Ends pipe = PipeClient.open(kit, "stream", true);
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      sent.add(pipe.first().sendAsync(i, Duration.ofSeconds(5)).toCompletableFuture());
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    for (int i = 0; i < 1000; i++) {
      assertThat(pipe.second().recv()).isEqualTo(i);
    }
  }

  @Test
  void anEndMovedHereKeepsWhatHadArrivedAndAClosedEndRefusesToMove() {
    PipeClient.Ends pipe = PipeClient.open(kit, "mover", true);
    pipe.first().send("sent before the move");
    PipeClient moved =
        PipeClient.moveHere(kit, "mover-2-moved", pipe.second().ref(), Duration.ofSeconds(5));
    assertThat(moved.status(Duration.ofSeconds(5)))
        .isEqualTo(new Pipe.Status(Pipe.Role.DUPLEX, false, 1, 0, 0));
    assertThat(moved.recv()).isEqualTo("sent before the move");
    moved.send("answer");
    assertThat(pipe.first().recv()).isEqualTo("answer");
    moved.close();
    assertThatThrownBy(() -> pipe.first().recv()).isInstanceOf(EndOfStreamException.class);
    assertThatThrownBy(
            () -> PipeClient.moveHere(kit, "mover-2-again", moved.ref(), Duration.ofSeconds(5)))
        .isInstanceOf(ClosedException.class)
        .hasMessageContaining("did not move");
  }
}
