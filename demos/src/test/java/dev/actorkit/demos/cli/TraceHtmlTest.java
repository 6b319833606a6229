package dev.actorkit.demos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.core.trace.TraceEvent;
import dev.actorkit.core.trace.TraceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The page drawn from a handful of events written by hand: cases a scenario's run does not make on
 * demand ({@code TimelineTest} reads whole runs).
 */
class TraceHtmlTest {

  private static final Pattern LANE =
      Pattern.compile(
          "<g class=\"lane\" data-half=\"([^\"]*)\" data-participant=\"([^\"]*)\""
              + " data-primitive=\"[^\"]*\">(.*?)</g>",
          Pattern.DOTALL);

  private static final Pattern SPAN =
      Pattern.compile(
          "<rect class=\"span (waiting|holding)\" data-primitive=\"([^\"]*)\""
              + " data-start-ms=\"([^\"]*)\" data-end-ms=\"([^\"]*)\" data-token=\"([^\"]*)\""
              + " data-end-kind=\"([^\"]*)\"");

  private static final Pattern MARK =
      Pattern.compile("<circle class=\"instant\" data-kind=\"([^\"]*)\"");

  /** A bar as drawn: on whose lane, of which half. */
  record Span(
      String half,
      String participant,
      String kind,
      String primitive,
      double start,
      double end,
      String token,
      String endKind) {}

  private static List<Span> spans(String page) {
    List<Span> spans = new ArrayList<>();
    Matcher lane = LANE.matcher(page);
    while (lane.find()) {
      Matcher span = SPAN.matcher(lane.group(3));
      while (span.find()) {
        spans.add(
            new Span(
                lane.group(1),
                lane.group(2),
                span.group(1),
                span.group(2),
                Double.parseDouble(span.group(3)),
                Double.parseDouble(span.group(4)),
                span.group(5),
                span.group(6)));
      }
    }
    return spans;
  }

  private static List<String> marks(String page) {
    List<String> kinds = new ArrayList<>();
    Matcher mark = MARK.matcher(page);
    while (mark.find()) {
      kinds.add(mark.group(1));
    }
    return kinds;
  }

  private static TraceEvent at(long millis, String actor, String kind, String who, String detail) {
    return new TraceEvent(Duration.ofMillis(millis), actor, kind, who, detail);
  }

  @Test
  void aThreadHoldingThroughTwoCallsHoldsUntilItsLastRelease() {
    // two SemaphoreClient.acquire() from thread main: two stand-ins, both named main, each
    // granted and released once; and the same story in the threads half
    List<TraceEvent> events = new ArrayList<>();
    for (String room : List.of("primitives/room", "threads/room")) {
      events.add(at(0, room, TraceKind.GRANTED, "main", "1 permit"));
      events.add(at(10, room, TraceKind.GRANTED, "main", "1 permit"));
      events.add(at(20, room, TraceKind.RELEASED, "main", "1 permit"));
      events.add(at(30, room, TraceKind.RELEASED, "main", "1 permit"));
    }
    events.add(at(40, "primitives/room", TraceKind.LEVEL, "", "2"));

    String page = TraceHtml.render("two-calls", events, 0);

    List<Span> holds = spans(page).stream().filter(s -> s.kind().equals("holding")).toList();
    assertThat(holds).hasSize(2);
    assertThat(holds)
        .allSatisfy(
            hold -> {
              assertThat(hold.participant()).isEqualTo("main");
              assertThat(hold.primitive()).isEqualTo("room");
              assertThat(hold.start()).isEqualTo(0.0);
              assertThat(hold.end()).as("main holds until its second release").isEqualTo(30.0);
              assertThat(hold.endKind()).isEqualTo("released");
            });
    assertThat(holds).extracting(Span::half).containsExactlyInAnyOrder("threads", "actors");
    assertThat(marks(page))
        .as("the grant and the release in between are marks")
        .containsExactlyInAnyOrder("granted", "released", "granted", "released");
  }

  @Test
  void aRevocationTakesOneHoldBackAndTheFirstGrantKeepsItsToken() {
    List<TraceEvent> events =
        List.of(
            at(0, "primitives/lock", TraceKind.GRANTED, "main", "token 3"),
            at(10, "primitives/lock", TraceKind.GRANTED, "main", "token 4"),
            at(20, "primitives/lock", TraceKind.REVOKED, "main", "its lease ran out, token 3"),
            at(30, "primitives/lock", TraceKind.REVOKED, "main", "its lease ran out, token 4"),
            at(40, "primitives/lock", TraceKind.GRANTED, "main", "token 5"),
            at(50, "primitives/lock", TraceKind.RELEASED, "main", "token 5"));

    List<Span> holds = spans(TraceHtml.render("revoked", events, 0));

    assertThat(holds)
        .containsExactly(
            new Span("actors", "main", "holding", "lock", 0, 30, "3", "revoked"),
            new Span("actors", "main", "holding", "lock", 40, 50, "5", "released"));
  }
}
