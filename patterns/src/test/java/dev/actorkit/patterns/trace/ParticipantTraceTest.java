package dev.actorkit.patterns.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.core.testing.KitTestKit;
import dev.actorkit.core.trace.TraceEvent;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.patterns.mutex.Mutex;
import dev.actorkit.patterns.mutex.MutexClient;
import dev.actorkit.patterns.semaphore.Permit;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a timeline reads from the patterns' trace events: each event names its participant (for a
 * plain-Java call, the calling thread, never the stand-in actor), waiting and holding are opened
 * and closed by the {@link TraceKind} kinds, and a semaphore draws its free permits as a level.
 */
class ParticipantTraceTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.create().withSpeed(100);

  private static final Duration LONG = Duration.ofSeconds(300);

  private Tracer tracer;

  @BeforeEach
  void startTracing() {
    tracer = Tracer.get(testKit.system());
    tracer.clear();
    tracer.start();
  }

  @AfterEach
  void stopTracing() {
    tracer.stop();
    tracer.clear();
  }

  @Test
  void aPlainJavaCallIsTracedForTheThreadThatMadeIt() throws Exception {
    MutexClient knife =
        MutexClient.of(
            testKit.spawn(Mutex.create(Mutex.Settings.defaults()), "knife"), testKit.system());
    Thread cook =
        new Thread(
            () -> {
              try (var lock = knife.acquire(LONG)) {
                assertThat(lock.token()).isPositive();
              }
            },
            "cook");
    cook.start();
    cook.join(TimeUnit.SECONDS.toMillis(30));

    // the release is told, not awaited, by close(): its event may come a moment later
    dev.actorkit.core.testing.Eventually.eventually(
        Duration.ofSeconds(30),
        () ->
            assertThat(on("knife"))
                .extracting(TraceEvent::kind)
                .contains(TraceKind.GRANTED, TraceKind.RELEASED));
    List<TraceEvent> onKnife = on("knife");
    assertThat(onKnife).allSatisfy(e -> assertThat(e.participant()).isEqualTo("cook"));
    assertThat(onKnife)
        .filteredOn(e -> e.kind().equals(TraceKind.GRANTED))
        .singleElement()
        .satisfies(e -> assertThat(e.detail()).matches("token \\d+"));
    assertThat(onKnife)
        .allSatisfy(e -> assertThat(e.detail()).doesNotContain("caller-").doesNotContain("cook"));
  }

  @Test
  void aSemaphoreTracesWaitsHoldsAndItsFreePermits() throws Exception {
    SemaphoreClient room =
        SemaphoreClient.of(
            testKit.spawn(Semaphore.create(Semaphore.Settings.bounded(2)), "room"),
            testKit.system());
    CountDownLatch twoInside = new CountDownLatch(2);
    CountDownLatch leave = new CountDownLatch(1);
    List<Thread> people = new ArrayList<>();
    for (String name : List.of("Ann", "Bob")) {
      people.add(
          new Thread(
              () -> {
                try (Permit p = room.acquire(1, LONG)) {
                  twoInside.countDown();
                  leave.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              name));
    }
    people.forEach(Thread::start);
    assertThat(twoInside.await(30, TimeUnit.SECONDS)).isTrue();
    Thread cid =
        new Thread(
            () -> {
              try (Permit p = room.acquire(1, LONG)) {
                assertThat(p.permits()).isEqualTo(1);
              }
            },
            "Cid");
    cid.start();
    dev.actorkit.core.testing.Eventually.eventually(
        Duration.ofSeconds(30),
        () ->
            assertThat(on("room"))
                .anyMatch(
                    e -> e.kind().equals(TraceKind.WAITING) && e.participant().equals("Cid")));
    leave.countDown();
    for (Thread person : people) {
      person.join(TimeUnit.SECONDS.toMillis(30));
    }
    cid.join(TimeUnit.SECONDS.toMillis(30));
    dev.actorkit.core.testing.Eventually.eventually(
        Duration.ofSeconds(30), () -> assertThat(levels(on("room"))).endsWith(2));

    List<TraceEvent> events = on("room");
    assertThat(events)
        .filteredOn(e -> !e.kind().equals(TraceKind.LEVEL))
        .extracting(TraceEvent::participant)
        .containsOnly("Ann", "Bob", "Cid");
    List<String> cids =
        events.stream()
            .filter(e -> e.participant().equals("Cid"))
            .map(TraceEvent::kind)
            .filter(k -> !k.equals("requested"))
            .toList();
    assertThat(cids).containsExactly(TraceKind.WAITING, TraceKind.GRANTED, TraceKind.RELEASED);
    List<Integer> levels = levels(events);
    assertThat(levels.get(0)).isEqualTo(2);
    assertThat(levels).allSatisfy(level -> assertThat(level).isBetween(0, 2)).contains(0);
    // at most two hold at once: replay the spans
    int holding = 0;
    int most = 0;
    for (TraceEvent e : events) {
      if (e.kind().equals(TraceKind.GRANTED)) {
        most = Math.max(most, ++holding);
      } else if (TraceKind.ENDS_HOLDING.contains(e.kind())) {
        holding--;
      }
    }
    assertThat(most).isEqualTo(2);
    assertThat(holding).isZero();
  }

  private List<TraceEvent> on(String primitive) {
    return tracer.events().stream().filter(e -> e.actorName().equals(primitive)).toList();
  }

  private static List<Integer> levels(List<TraceEvent> events) {
    return events.stream()
        .filter(e -> e.kind().equals(TraceKind.LEVEL))
        .map(e -> Integer.parseInt(e.detail()))
        .toList();
  }
}
