package dev.actorkit.patterns.event;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BroadcastTopicTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.create();

  @Test
  void everyLiveSubscriberGetsEveryMessageInPublishOrder() {
    ActorRef<BroadcastTopic.Command<String>> topic =
        testKit.spawn(BroadcastTopic.create(BroadcastTopic.Settings.of("news", String.class)));
    TestProbe<BroadcastTopic.Reply> admin = testKit.createTestProbe();
    TestProbe<String> first = testKit.createTestProbe();
    TestProbe<String> second = testKit.createTestProbe();

    topic.tell(new BroadcastTopic.Subscribe<>(first.ref(), admin.ref()));
    admin.expectMessage(new BroadcastTopic.Subscribed(1));
    topic.tell(new BroadcastTopic.Subscribe<>(second.ref(), admin.ref()));
    admin.expectMessage(new BroadcastTopic.Subscribed(2));
    topic.tell(new BroadcastTopic.Subscribe<>(second.ref(), admin.ref()));
    admin.expectMessage(new BroadcastTopic.Subscribed(2));

    List<String> sent = List.of("one", "two", "three", "four");
    sent.forEach(message -> topic.tell(new BroadcastTopic.Publish<>(message)));
    assertThat(first.receiveSeveralMessages(4)).isEqualTo(sent);
    assertThat(second.receiveSeveralMessages(4)).isEqualTo(sent);
    second.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void deadAndUnsubscribedSubscribersGetNothingFurther() {
    ActorRef<BroadcastTopic.Command<String>> topic =
        testKit.spawn(BroadcastTopic.create(BroadcastTopic.Settings.of("gossip", String.class)));
    TestProbe<BroadcastTopic.Reply> admin = testKit.createTestProbe();
    TestProbe<String> stays = testKit.createTestProbe();
    TestProbe<String> leaves = testKit.createTestProbe();
    TestProbe<String> dies = testKit.createTestProbe();
    for (TestProbe<String> probe : List.of(stays, leaves, dies)) {
      topic.tell(new BroadcastTopic.Subscribe<>(probe.ref(), admin.ref()));
      admin.expectMessageClass(BroadcastTopic.Subscribed.class);
    }
    topic.tell(new BroadcastTopic.Unsubscribe<>(leaves.ref(), admin.ref()));
    admin.expectMessage(new BroadcastTopic.Unsubscribed(2));
    dies.stop();
    admin.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          topic.tell(new BroadcastTopic.GetSubscribers<>(admin.ref()));
          admin.expectMessage(new BroadcastTopic.Subscribers(1));
          return null;
        });

    topic.tell(new BroadcastTopic.Publish<>("after"));
    stays.expectMessage("after");
    leaves.expectNoMessage(Duration.ofMillis(50));
    topic.tell(new BroadcastTopic.Subscribe<>(null, admin.ref()));
    admin.expectMessageClass(BroadcastTopic.Rejected.class);
  }
}
