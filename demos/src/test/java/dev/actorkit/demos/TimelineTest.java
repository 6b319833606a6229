package dev.actorkit.demos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Every scenario's {@code --trace} page, read as a learner reads it: the lanes, spans, levels and
 * the wait-for graph of its SVG checked against the figures of the same run's JSON line.
 *
 * <p>One check per scenario ({@link #CHECKS}); each looks at the half it knows about. The threads
 * half of each story is checked the same way once its threads trace their participants.
 */
class TimelineTest {

  /** What a scenario's page must show, given its SVG and its JSON figures. */
  private static final Map<String, Case> CHECKS = new LinkedHashMap<>();

  record Case(List<String> options, BiConsumer<Timeline, Map<String, String>> check) {}

  private static void check(
      String scenario, List<String> options, BiConsumer<Timeline, Map<String, String>> check) {
    CHECKS.put(scenario, new Case(options, check));
  }

  static {
    check(
        "room",
        List.of("--people", "7", "--capacity", "2", "--stay", "2"),
        (timeline, json) -> {
          int people = Integer.parseInt(json.get("people"));
          int capacity = Integer.parseInt(json.get("capacity"));
          List<Lane> persons =
              timeline.lanes("actors", lane -> lane.participant.startsWith("person-"));
          assertThat(persons).hasSize(people);
          List<Span> holds = timeline.spans("actors", "room", "holding");
          assertThat(holds).as("each person is inside once").hasSize(people);
          assertThat(persons).allSatisfy(p -> assertThat(p.spans("holding")).hasSize(1));
          int most = maxOverlap(holds);
          assertThat(most).isLessThanOrEqualTo(capacity);
          assertThat(most).isEqualTo(Integer.parseInt(json.get("max_inside")));
          assertTokensRiseWithTime(holds);
          // the people who found the room full waited first, and got in when their wait ended
          for (Lane person : persons) {
            for (Span wait : person.spans("waiting")) {
              assertThat(wait.endKind).isEqualTo("granted");
              assertThat(person.spans("holding").get(0).start).isEqualTo(wait.end);
            }
          }
          assertThat(timeline.level("actors", "room"))
              .allSatisfy(free -> assertThat(free).isBetween(0.0, (double) capacity))
              .startsWith((double) capacity)
              .endsWith((double) capacity)
              .contains(0.0);
        });
    check(
        "hello",
        List.of(),
        (timeline, json) -> {
          int rounds = Integer.parseInt(json.get("rounds"));
          int answered = Integer.parseInt(json.get("hellos_answered"));
          assertThat(timeline.lanes("actors", lane -> true)).isNotEmpty();
          assertThat(timeline.spans("actors", "ping", "waiting"))
              .as("ping waits for each answer")
              .hasSize(answered)
              .allSatisfy(wait -> assertThat(wait.endKind()).isEqualTo("woke"));
          // each round in story order: ping sends, pong receives and answers, ping wakes
          List<String> inTime =
              timeline.instants("actors").stream()
                  .sorted((a, b) -> Double.compare(a.ms, b.ms))
                  .map(m -> m.primitive + " " + m.kind)
                  .toList();
          assertThat(inTime).hasSize(4 * rounds);
          for (int i = 0; i < inTime.size(); i += 4) {
            assertThat(inTime.subList(i, i + 4))
                .containsExactly("ping sent", "pong received", "pong sent", "ping woke");
          }
        });
    check(
        "deadlock",
        List.of(),
        (timeline, json) -> {
          List<String> cycle = jsonList(json.get("cycle"));
          Graph graph = timeline.graph("actors");
          assertThat(graph).as("a wait-for graph is drawn for the actors").isNotNull();
          assertThat(graph.nodes).hasSize(cycle.size()).containsExactlyInAnyOrderElementsOf(cycle);
          assertThat(graph.edges).hasSize(cycle.size());
          // the edges go round once: every node is left once and entered once
          Set<String> from = new HashSet<>();
          Set<String> to = new HashSet<>();
          for (String edge : graph.edges) {
            String[] ends = edge.split("->");
            from.add(ends[0]);
            to.add(ends[1]);
          }
          assertThat(from).isEqualTo(new HashSet<>(cycle)).isEqualTo(to);
          // the victim's wait ends with the deadlock, after the cycle was found
          List<Span> broken =
              timeline.spans("actors", null, "waiting").stream()
                  .filter(s -> s.endKind.equals("deadlock"))
                  .toList();
          assertThat(broken).hasSize(1);
          assertThat(broken.get(0).end).isGreaterThanOrEqualTo(graph.atMs);
          // both cooks held each tool at some time, one at a time
          for (String tool : List.of("knife", "pot")) {
            assertThat(maxOverlap(timeline.spans("actors", tool, "holding"))).isEqualTo(1);
          }
        });
    check(
        "buns",
        List.of("--items", "8", "--capacity", "3"),
        (timeline, json) -> {
          List<Double> basket = timeline.level("actors", "basket");
          assertThat(basket).allSatisfy(level -> assertThat(level).isBetween(0.0, 3.0));
          assertThat(basket.stream().mapToDouble(Double::doubleValue).max().orElse(-1))
              .isEqualTo(Double.parseDouble(json.get("max_in_basket")));
          assertThat(timeline.lanes("actors", lane -> lane.participant.startsWith("baker-")))
              .hasSize(2);
          assertThat(timeline.lanes("actors", lane -> lane.participant.startsWith("eater-")))
              .hasSize(2);
          assertThat(timeline.instants("actors").stream().filter(m -> m.kind.equals("taken")))
              .hasSize(Integer.parseInt(json.get("consumed")));
        });
    check(
        "readers-writers",
        List.of("--readers", "3", "--writers", "2", "--rounds", "2"),
        (timeline, json) -> {
          List<Double> inside = timeline.level("actors", "file-lock");
          // a writer that downgraded reads too, so the line may be one above the readers' own
          // figure
          double most = inside.stream().mapToDouble(Double::doubleValue).max().orElse(-1);
          assertThat(most)
              .isGreaterThanOrEqualTo(Double.parseDouble(json.get("max_concurrent_readers")))
              .isLessThanOrEqualTo(Double.parseDouble(json.get("max_concurrent_readers")) + 1);
          List<Span> holds = timeline.spans("actors", "file-lock", "holding");
          for (Lane writer :
              timeline.lanes("actors", lane -> lane.participant.startsWith("writer-"))) {
            for (Span write : writer.spans("holding")) {
              // a writer's hold starts alone: nobody else holds at that moment
              long others =
                  holds.stream()
                      .filter(h -> h != write && h.start <= write.start && h.end > write.start)
                      .count();
              assertThat(others).as("holders when %s got in", writer.participant).isZero();
            }
          }
        });
    check(
        "hotpot",
        List.of(),
        (timeline, json) -> {
          List<Lane> friends =
              timeline.lanes("actors", lane -> lane.participant.startsWith("friend-"));
          assertThat(friends).hasSize(Integer.parseInt(json.get("friends")));
          long woke =
              friends.stream()
                  .flatMap(f -> f.spans("waiting").stream())
                  .filter(s -> s.endKind.equals("woke"))
                  .count();
          assertThat(woke).isEqualTo(Long.parseLong(json.get("woke")));
        });
    check(
        "barrier",
        List.of(),
        (timeline, json) -> {
          assertThat(timeline.instants("actors").stream().filter(m -> m.kind.equals("passed")))
              .hasSize(Integer.parseInt(json.get("generations")));
          assertThat(timeline.lanes("actors", lane -> lane.participant.startsWith("runner-")))
              .hasSize(Integer.parseInt(json.get("runners")));
          int parties = Integer.parseInt(json.get("runners"));
          assertThat(timeline.level("actors", "start-line"))
              .allSatisfy(waiting -> assertThat(waiting).isBetween(0.0, parties - 1.0));
        });
    check(
        "condition",
        List.of(),
        (timeline, json) ->
            assertThat(maxOverlap(timeline.spans("actors", "basket-lock", "holding")))
                .as("one holder of the lock at a time")
                .isEqualTo(1));
    check(
        "atm-race",
        List.of(),
        (timeline, json) -> {
          List<Double> balance = timeline.level("actors", "account");
          assertThat(balance).isNotEmpty().allSatisfy(b -> assertThat(b).isNotNegative());
          assertThat(balance.get(balance.size() - 1))
              .isEqualTo(Double.parseDouble(json.get("actor_balance")));
        });
    check(
        "work-pulling",
        List.of(),
        (timeline, json) -> {
          List<Span> jobs = timeline.spans("actors", null, "holding");
          assertThat(jobs.stream().filter(s -> s.endKind.equals("revoked")))
              .hasSize(Integer.parseInt(json.get("redelivered")));
          // every job is held once to its end; the last confirmation may come after the story
          // has counted its job done, so its span may still be open where the trace ends
          assertThat(jobs.stream().filter(s -> !s.endKind.equals("revoked")))
              .hasSize(Integer.parseInt(json.get("items")));
          // with threads, the crashed worker's job is revoked with it, and never done again
          List<Span> threadJobs = timeline.spans("threads", null, "holding");
          assertThat(threadJobs.stream().filter(s -> s.endKind.equals("revoked"))).hasSize(1);
          assertThat(threadJobs.stream().filter(s -> s.endKind.equals("released")))
              .hasSize(Integer.parseInt(json.get("items")) - 1);
        });
  }

  // The pools' stories: a worker's task is a holding span on its lane.
  static {
    check(
        "gather-wait",
        List.of(),
        (timeline, json) -> {
          // gather's three downloads, wait's three, and the one wait_for gave up on; 4 workers
          int waited = Integer.parseInt(json.get("done")) + Integer.parseInt(json.get("pending"));
          List<Span> tasks = timeline.spans("actors", "tasks", "holding");
          assertThat(tasks).hasSize(jsonList(json.get("gathered")).size() + waited + 1);
          assertThat(maxOverlap(tasks)).isBetween(1, 4);
          for (Lane worker : timeline.lanes("actors", lane -> !lane.participant.isEmpty())) {
            assertThat(worker.participant).startsWith("worker-");
            assertThat(maxOverlap(worker.spans("holding"))).isEqualTo(1);
          }
        });
    check(
        "executor",
        List.of(),
        (timeline, json) -> {
          int n = Integer.parseInt(json.get("calls"));
          for (String half : List.of("threads", "actors")) {
            List<Span> calls = timeline.spans(half, null, "holding");
            assertThat(calls).as("one span per call in the %s half", half).hasSize(n);
            assertThat(maxOverlap(calls)).as("the pool runs the calls at once").isEqualTo(n);
          }
        });
    check(
        "cpu-parallel",
        List.of(),
        (timeline, json) -> {
          int workers = Integer.parseInt(json.get("workers"));
          List<Span> work = timeline.spans("actors", null, "holding");
          assertThat(work).isNotEmpty();
          assertThat(maxOverlap(work)).as("one per core at once, no more").isEqualTo(workers);
          assertThat(timeline.lanes("actors", lane -> true)).hasSize(workers);
        });
    check(
        "pool-map",
        List.of(),
        (timeline, json) -> {
          int items = Integer.parseInt(json.get("items"));
          int chunk = Integer.parseInt(json.get("chunk"));
          // two maps over the same items: one in order, every chunk run; then one that a slow
          // item times out, whose chunks after it may never start
          int chunks = (items + chunk - 1) / chunk;
          List<Span> runs = timeline.spans("actors", null, "holding");
          assertThat(runs).as("a span per chunk run").hasSizeBetween(chunks + 1, 2 * chunks);
          assertThat(runs.stream().filter(r -> r.endKind.equals("released")))
              .hasSizeGreaterThanOrEqualTo(chunks);
        });
    check(
        "task-group",
        List.of(),
        (timeline, json) -> {
          // three downloads in the group, then two under the timeout scope
          assertThat(timeline.spans("actors", null, "holding"))
              .hasSize(Integer.parseInt(json.get("started")) + 2);
          // with threads, each download ends: finished, failed or cancelled
          assertThat(timeline.spans("threads", null, "holding"))
              .isNotEmpty()
              .allSatisfy(d -> assertThat(d.endKind).isIn("released", "revoked"));
        });
    check(
        "apply-async",
        List.of(),
        (timeline, json) -> {
          List<Span> tasks = timeline.spans("actors", null, "holding");
          assertThat(tasks.stream().filter(t -> t.endKind.equals("revoked")))
              .as("the task of the worker that died")
              .hasSize(1);
          assertThat(tasks.stream().filter(t -> t.endKind.equals("released")))
              .hasSizeGreaterThanOrEqualTo(
                  Integer.parseInt(json.get("callbacks"))
                      + Integer.parseInt(json.get("error_callbacks")));
        });
    check(
        "bank",
        List.of(),
        (timeline, json) -> {
          long finished =
              timeline.instants("actors").stream().filter(m -> m.kind.equals("finished")).count();
          assertThat(finished)
              .as("every transfer a teller asked for ended")
              .isEqualTo(
                  Long.parseLong(json.get("transfers_ok"))
                      + Long.parseLong(json.get("transfers_refused")));
        });
    check(
        "buns-stream",
        List.of(),
        (timeline, json) -> {
          assertThat(timeline.lanes("actors", lane -> true)).hasSizeGreaterThanOrEqualTo(3);
          assertThat(timeline.spans("actors", null, "waiting"))
              .as("backpressure: a stage waits for the basket")
              .isNotEmpty();
        });
  }

  static Stream<Arguments> scenarios() {
    return CHECKS.keySet().stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void theTimelineShowsWhatTheFiguresSay(String scenario, @TempDir Path dir) throws Exception {
    Case c = CHECKS.get(scenario);
    Path trace = dir.resolve(scenario + ".html");
    List<String> args =
        new ArrayList<>(
            List.of("run", scenario, "--json", "--speed", "100", "--trace", trace.toString()));
    args.addAll(c.options());
    DemoRun run = DemoRun.of(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    Map<String, String> json = flatJson(run.lastLine());
    assertThat(json.get("ok")).isEqualTo("true");
    String page = Files.readString(trace);
    assertThat(page).doesNotContain("$$").doesNotContain("caller-");
    Timeline timeline = Timeline.parse(page);
    assertThat(timeline.ticks).as("a story-time axis with tick labels").isGreaterThan(2);
    c.check().accept(timeline, json);
  }

  // ---- reading the page ----

  /** A waiting or holding bar. */
  record Span(
      String kind, String primitive, double start, double end, String token, String endKind) {}

  /** A mark. */
  record Instant(String kind, String primitive, double ms) {}

  /** A lane of one half. */
  record Lane(
      String half, String participant, String primitive, List<Span> all, List<Instant> marks) {
    List<Span> spans(String kind) {
      return all.stream().filter(s -> s.kind.equals(kind)).toList();
    }
  }

  /** A drawn wait-for cycle. */
  record Graph(String half, double atMs, List<String> nodes, List<String> edges) {}

  /** The page's SVG, read into lanes, levels and graphs. */
  record Timeline(
      List<Lane> lanes, Map<String, List<Double>> levels, List<Graph> graphs, int ticks) {

    static Timeline parse(String page) throws Exception {
      List<Lane> lanes = new ArrayList<>();
      Map<String, List<Double>> levels = new LinkedHashMap<>();
      List<Graph> graphs = new ArrayList<>();
      int ticks = 0;
      Matcher svg = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(page);
      while (svg.find()) {
        Document doc =
            DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new InputSource(new StringReader(svg.group())));
        for (Element g : elements(doc, "g")) {
          String cls = g.getAttribute("class");
          if (cls.equals("lane")) {
            List<Span> spans = new ArrayList<>();
            for (Element rect : elements(g, "rect")) {
              String[] classes = rect.getAttribute("class").split(" ");
              if (classes.length == 2 && classes[0].equals("span")) {
                spans.add(
                    new Span(
                        classes[1],
                        rect.getAttribute("data-primitive"),
                        Double.parseDouble(rect.getAttribute("data-start-ms")),
                        Double.parseDouble(rect.getAttribute("data-end-ms")),
                        rect.getAttribute("data-token"),
                        rect.getAttribute("data-end-kind")));
              }
            }
            List<Instant> marks = new ArrayList<>();
            for (Element circle : elements(g, "circle")) {
              if (circle.getAttribute("class").equals("instant")) {
                marks.add(
                    new Instant(
                        circle.getAttribute("data-kind"),
                        circle.getAttribute("data-primitive"),
                        Double.parseDouble(circle.getAttribute("data-ms"))));
              }
            }
            lanes.add(
                new Lane(
                    g.getAttribute("data-half"),
                    g.getAttribute("data-participant"),
                    g.getAttribute("data-primitive"),
                    spans,
                    marks));
          } else if (cls.equals("wait-for-graph")) {
            List<String> nodes = new ArrayList<>();
            for (Element node : elements(g, "g")) {
              if (node.getAttribute("class").equals("node")) {
                nodes.add(node.getAttribute("data-node"));
              }
            }
            List<String> edges = new ArrayList<>();
            for (Element line : elements(g, "line")) {
              if (line.getAttribute("class").equals("edge")) {
                edges.add(line.getAttribute("data-edge"));
              }
            }
            graphs.add(
                new Graph(
                    g.getAttribute("data-half"),
                    Double.parseDouble(g.getAttribute("data-at-ms")),
                    nodes,
                    edges));
          }
        }
        for (Element line : elements(doc, "polyline")) {
          if (line.getAttribute("class").equals("level")) {
            levels.put(
                line.getAttribute("data-half") + "/" + line.getAttribute("data-primitive"),
                Arrays.stream(line.getAttribute("data-values").split(","))
                    .map(Double::parseDouble)
                    .toList());
          }
        }
        for (Element text : elements(doc, "text")) {
          if (text.getAttribute("class").equals("tick")) {
            ticks++;
          }
        }
      }
      return new Timeline(lanes, levels, graphs, ticks);
    }

    List<Lane> lanes(String half, java.util.function.Predicate<Lane> which) {
      return lanes.stream().filter(l -> l.half.equals(half)).filter(which).toList();
    }

    /** The spans of one kind in a half, on one primitive (null: any), in start order. */
    List<Span> spans(String half, String primitive, String kind) {
      return lanes(half, l -> true).stream()
          .flatMap(l -> l.spans(kind).stream())
          .filter(s -> primitive == null || s.primitive.equals(primitive))
          .sorted((a, b) -> Double.compare(a.start, b.start))
          .toList();
    }

    /**
     * The lanes of {@code participant} in one half, as one lane of their spans on {@code
     * primitive}.
     */
    Lane lane(String half, String participant, String primitive) {
      List<Lane> mine = lanes(half, lane -> lane.participant().equals(participant));
      assertThat(mine).as("a lane for %s in the %s half", participant, half).isNotEmpty();
      List<Span> spans =
          mine.stream()
              .flatMap(lane -> lane.all().stream())
              .filter(span -> span.primitive().equals(primitive))
              .toList();
      return new Lane(half, participant, primitive, spans, List.of());
    }

    List<Instant> instants(String half) {
      return lanes(half, l -> true).stream().flatMap(l -> l.marks.stream()).toList();
    }

    List<Double> level(String half, String primitive) {
      List<Double> values = levels.get(half + "/" + primitive);
      assertThat(values).as("a level line for %s in the %s half", primitive, half).isNotNull();
      return values;
    }

    Graph graph(String half) {
      return graphs.stream().filter(g -> g.half.equals(half)).findFirst().orElse(null);
    }
  }

  private static List<Element> elements(org.w3c.dom.Node root, String tag) {
    NodeList list =
        root instanceof Document doc
            ? doc.getElementsByTagName(tag)
            : ((Element) root).getElementsByTagName(tag);
    List<Element> elements = new ArrayList<>();
    for (int i = 0; i < list.getLength(); i++) {
      elements.add((Element) list.item(i));
    }
    return elements;
  }

  /** The most spans open at one moment (a span ending when another starts does not overlap it). */
  static int maxOverlap(List<Span> spans) {
    int most = 0;
    for (Span span : spans) {
      int open = 0;
      for (Span other : spans) {
        if (other.start <= span.start && other.end > span.start) {
          open++;
        }
      }
      most = Math.max(most, open);
    }
    return most;
  }

  private static void assertTokensRiseWithTime(List<Span> holds) {
    long last = 0;
    for (Span hold : holds) {
      assertThat(hold.token).as("a grant carries its token").isNotEmpty();
      long token = Long.parseLong(hold.token);
      assertThat(token).isGreaterThan(last);
      last = token;
    }
  }

  /** The flat JSON line as name -> raw value (strings without quotes; lists as written). */
  private static Map<String, String> flatJson(String line) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile("\"([a-z_]+)\":(\\[[^\\]]*\\]|\"[^\"]*\"|[^,}\\[{]+)").matcher(line);
    while (m.find()) {
      fields.putIfAbsent(m.group(1), m.group(2).replace("\"", ""));
    }
    return fields;
  }

  private static List<String> jsonList(String value) {
    assertThat(value).startsWith("[").endsWith("]");
    return Arrays.stream(value.substring(1, value.length() - 1).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
