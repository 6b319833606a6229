package dev.actorkit.patterns.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.actorkit.core.Payload;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SharedListTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.create();

  @Test
  void anAppendRetriedUnderItsRequestIdAppendsOnce() {
    SharedListClient list =
        SharedListClient.of(
            testKit.spawn(SharedList.create(new SharedList.Settings(100))), testKit.system());
    assertThat(list.once("append-1").append("only once")).isZero();
    assertThat(list.once("append-1").append("only once")).isZero();
    assertThat(list.once("append-2").append("second")).isEqualTo(1);
    assertThat(list.snapshot()).isEqualTo(List.of("only once", "second"));
    list.append(41);
    assertThat(list.once("inc").increment(2, 1).longValue()).isEqualTo(42);
    assertThat(list.once("inc").increment(2, 1).longValue()).isEqualTo(42); // not 43
    assertThat(list.snapshot()).hasSize(3);
    assertThatThrownBy(() -> list.once(" ")).isInstanceOf(RejectedException.class);
  }

  @Test
  void appendGetSetIncrementAndSnapshotThroughTheProxy() {
    SharedListClient list =
        SharedListClient.of(
            testKit.spawn(SharedList.create(SharedList.Settings.defaults())), testKit.system());
    assertThat(list.append("a")).isZero();
    assertThat(list.append(1)).isEqualTo(1);
    assertThat(list.get(-1)).isEqualTo(1);
    assertThat(list.increment(1, 41)).isEqualTo(42);
    assertThat(list.set(0, "b")).isEqualTo("a");
    assertThat(list.size()).isEqualTo(2);
    assertThat(list.snapshot()).isEqualTo(List.of("b", 42));
    assertThatThrownBy(() -> list.get(2))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> list.increment(0, 1))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("needs a number");
    assertThat(list.snapshot()).isEqualTo(List.of("b", 42));
  }

  @Test
  void aSubscriberThatDiesIsDropped() {
    var list = testKit.spawn(SharedList.create(SharedList.Settings.defaults()));
    TestProbe<SharedList.Changed> subscriber = testKit.createTestProbe();
    TestProbe<SharedList.Reply> replies = testKit.createTestProbe();
    list.tell(new SharedList.Subscribe(subscriber.ref(), replies.ref()));
    replies.expectMessage(new SharedList.Subscribed(true));
    list.tell(new SharedList.Append(new Payload.Text("x"), replies.ref()));
    replies.expectMessage(new SharedList.Appended(0));
    subscriber.expectMessage(new SharedList.Changed(0, null, new Payload.Text("x")));
    subscriber.stop();
    list.tell(new SharedList.Append(new Payload.Text("y"), replies.ref()));
    replies.expectMessage(new SharedList.Appended(1));
    subscriber.expectNoMessage(Duration.ofMillis(50));
  }
}
