package dev.actorkit.demos.cli;

import dev.actorkit.core.trace.TraceEvent;
import dev.actorkit.core.trace.TraceKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns trace events into one self-contained HTML page (inline SVG, nothing fetched): the story at
 * a glance, then every event in a table.
 *
 * <p>The timeline has two halves on one story-time axis: the threads half of the story (events
 * {@link TraceEvent#fromThreads()}) above, the actors half below, so the same moment is at the same
 * x in both. Each half has a lane per participant (person, cook, worker, pipe end), in the order
 * they first appear; an event that concerns nobody in particular goes on a lane for its primitive.
 * On a lane, waiting is an amber bar and holding a green one (labelled with its fencing token),
 * opened and closed by the kinds {@link TraceKind} names; anything else is a mark you can hover.
 * Holds are counted per participant and primitive: one name may hold through several calls (two
 * concurrent {@code acquire()} from thread {@code main} are two stand-ins, both {@code main}, each
 * granted and released once), so a holding bar runs from the first grant to the release or
 * revocation that takes the last one back; a grant or release in between is a mark. Under each
 * half, a primitive that reports its level (permits free, items in a basket, readers inside) gets a
 * line. When a deadlock is found its wait-for cycle is drawn as a graph, as it was at that moment.
 *
 * <p>Every kind of event has one colour on every page ({@link #colourOf}): waiting is amber,
 * getting in is green, giving back is blue, a refusal or a time-out is red, a signal is purple;
 * kinds not named there are grey.
 *
 * <p>The SVG is well-formed XML and says what it draws in {@code class} and {@code data-}
 * attributes (lanes, spans with their times and tokens, instants, level lines, the graph's edges),
 * so tests read the page as a learner's eye would.
 */
final class TraceHtml {

  /** The fixed colour of each family of events, so a page reads like the one before it. */
  private static final Map<String, String> COLOURS = colours();

  static final String WAITING_COLOUR = "#e69f00";
  static final String HOLDING_COLOUR = "#009e73";

  private static Map<String, String> colours() {
    Map<String, String> colours = new LinkedHashMap<>();
    String waiting = WAITING_COLOUR;
    String in = HOLDING_COLOUR;
    String out = "#0072b2";
    String refused = "#d55e00";
    String signal = "#8e44ad";
    for (String kind : List.of("requested", "waiting", "subscribed", "sent", "put")) {
      colours.put(kind, waiting);
    }
    for (String kind :
        List.of(
            "granted",
            TraceKind.GRANTED_MORE,
            "re-entered",
            "taken",
            "arrived",
            "started",
            "passed",
            "deposit",
            "withdraw",
            "received")) {
      colours.put(kind, in);
    }
    for (String kind :
        List.of(
            "released",
            TraceKind.GAVE_BACK,
            "finished",
            "downgraded",
            "withdrawn",
            "requeued",
            "moved",
            "closed",
            "unsubscribed")) {
      colours.put(kind, out);
    }
    for (String kind :
        List.of(
            "rejected",
            "timed-out",
            "dropped",
            "cancelled",
            "revoked",
            "broken",
            "deadlock",
            "cycle",
            "worker-died")) {
      colours.put(kind, refused);
    }
    for (String kind :
        List.of(
            "set",
            "woke",
            "cleared",
            "reset",
            "published",
            "notified",
            "counted down",
            "worker-retired",
            "recovered")) {
      colours.put(kind, signal);
    }
    return colours;
  }

  /** The colour of {@code kind} on every page. */
  static String colourOf(String kind) {
    return COLOURS.getOrDefault(kind, "#777777");
  }

  /** The page is read at 1400 by 1000 without scrolling: the drawing fits in this. */
  private static final int WIDTH = 1360;

  private static final int LABEL_WIDTH = 170;
  private static final int PLOT_WIDTH = WIDTH - LABEL_WIDTH - 20;
  private static final int LANE_ROOM = 720;
  private static final int MAX_LANE = 24;
  private static final int MIN_LANE = 11;
  private static final int LEVEL_ROW = 30;
  private static final int HEADER = 22;
  private static final int AXIS = 24;

  private static final Pattern TOKEN = Pattern.compile("token (\\d+)");

  private TraceHtml() {}

  /** Which half of the story an event belongs to, in drawing order. */
  enum Half {
    THREADS("threads", "With threads"),
    ACTORS("actors", "With actors");

    final String id;
    final String title;

    Half(String id, String title) {
      this.id = id;
      this.title = title;
    }

    static Half of(TraceEvent event) {
      return event.fromThreads() ? THREADS : ACTORS;
    }
  }

  /**
   * A lane: a participant's, or (for events that concern nobody) a primitive's. It has a row for
   * each primitive it has to do with, in the order they first appear, so a cook who holds the knife
   * while waiting for the pot shows both.
   */
  static final class Lane {
    final Half half;
    final String participant;
    final String primitive;
    final List<String> rows = new ArrayList<>();

    Lane(Half half, String participant, String primitive) {
      this.half = half;
      this.participant = participant;
      this.primitive = primitive;
    }

    boolean ofPrimitive() {
      return participant.isEmpty();
    }

    String label() {
      return ofPrimitive() ? primitive : participant;
    }

    int rowOf(String name) {
      int row = rows.indexOf(name);
      if (row < 0) {
        rows.add(name);
        row = rows.size() - 1;
      }
      return row;
    }
  }

  /** A waiting or holding bar on a lane, from one event to another. */
  record Span(
      Lane lane,
      boolean holding,
      String primitive,
      double startMs,
      double endMs,
      String detail,
      String token,
      String endKind,
      boolean open) {}

  /** A mark on a lane. */
  record Instant(Lane lane, TraceEvent event, double atMs) {}

  /** A primitive's level over time. */
  record Level(Half half, String primitive, List<double[]> points) {}

  /** A wait-for cycle at the moment it was found. */
  record Cycle(Half half, double atMs, List<String> nodes) {}

  /** Everything drawn, worked out from the events before anything is written. */
  private static final class Model {
    final List<TraceEvent> events;
    final double startMs;
    final double endMs;
    final Map<Half, Double> halfStart = new java.util.EnumMap<>(Half.class);
    final Map<Half, Double> halfEnd = new java.util.EnumMap<>(Half.class);

    /** The axis: the longer half, from its first event to its last. */
    final double length;

    final Map<Half, List<Lane>> lanes = new LinkedHashMap<>();
    final List<Span> spans = new ArrayList<>();
    final List<Instant> instants = new ArrayList<>();
    final Map<Half, List<Level>> levels = new LinkedHashMap<>();
    final List<Cycle> cycles = new ArrayList<>();
    final List<String> kinds = new ArrayList<>();

    Model(List<TraceEvent> unordered) {
      events = new ArrayList<>(unordered);
      events.sort(Comparator.comparing(TraceEvent::at)); // stable: ties keep their order
      startMs = events.isEmpty() ? 0 : ms(events.get(0));
      endMs = events.isEmpty() ? 1 : Math.max(startMs + 1, ms(events.get(events.size() - 1)));
      // each half is drawn from its own start, so the two tellings of the story line up
      for (TraceEvent event : events) {
        halfStart.putIfAbsent(Half.of(event), ms(event));
        halfEnd.put(Half.of(event), ms(event));
      }
      double longest = 1;
      for (Half half : halfStart.keySet()) {
        longest = Math.max(longest, halfEnd.get(half) - halfStart.get(half));
      }
      length = longest;
      for (Half half : Half.values()) {
        lanes.put(half, new ArrayList<>());
        levels.put(half, new ArrayList<>());
      }
      build();
    }

    double ms(TraceEvent event) {
      return event.at().toNanos() / 1e6;
    }

    /** When {@code event} happened, from the start of its half. */
    double at(TraceEvent event) {
      return ms(event) - halfStart.getOrDefault(Half.of(event), startMs);
    }

    private void build() {
      Map<String, Lane> laneOf = new HashMap<>();
      Map<String, Level> levelOf = new LinkedHashMap<>();
      Map<String, Span> waiting = new LinkedHashMap<>();
      Map<String, Span> holding = new LinkedHashMap<>();
      Map<String, Integer> holds = new HashMap<>();
      for (TraceEvent event : events) {
        Half half = Half.of(event);
        double at = at(event);
        String primitive = event.actorName();
        if (!kinds.contains(event.kind())) {
          kinds.add(event.kind());
        }
        if (event.kind().equals(TraceKind.LEVEL)) {
          Double value = number(event.detail());
          if (value != null) {
            levelOf
                .computeIfAbsent(
                    half.id + "|" + primitive,
                    k -> {
                      Level level = new Level(half, primitive, new ArrayList<>());
                      levels.get(half).add(level);
                      return level;
                    })
                .points()
                .add(new double[] {at, value});
          }
          continue;
        }
        String owner = event.participant();
        Lane lane =
            laneOf.computeIfAbsent(
                half.id + "|" + owner + "|" + (owner.isEmpty() ? primitive : ""),
                k -> {
                  Lane made = new Lane(half, owner, owner.isEmpty() ? primitive : "");
                  lanes.get(half).add(made);
                  return made;
                });
        lane.rowOf(primitive);
        cycleIn(event, half, at);
        String key = half.id + "|" + event.participant() + "|" + event.actor();
        String kind = event.kind();
        boolean drawn = false;
        if (!event.participant().isEmpty()) {
          if (kind.equals(TraceKind.WAITING)) {
            close(waiting.remove(key), at, kind);
            waiting.put(
                key, new Span(lane, false, primitive, at, at, event.detail(), "", "", true));
            drawn = true;
          } else if (kind.equals(TraceKind.GRANTED)) {
            close(waiting.remove(key), at, kind);
            if (holds.merge(key, 1, Integer::sum) == 1) {
              Matcher token = TOKEN.matcher(event.detail());
              holding.put(
                  key,
                  new Span(
                      lane,
                      true,
                      primitive,
                      at,
                      at,
                      event.detail(),
                      token.find() ? token.group(1) : "",
                      "",
                      true));
              drawn = true;
            }
          } else if (TraceKind.ENDS_HOLDING.contains(kind)) {
            Integer count = holds.get(key);
            if (count != null && count > 1) {
              holds.put(key, count - 1); // still holds under this name: the span goes on
            } else {
              holds.remove(key);
              Span held = holding.remove(key);
              close(held, at, kind);
              drawn = held != null && kind.equals(TraceKind.RELEASED);
            }
          } else if (TraceKind.ENDS_WAITING.contains(kind)) {
            close(waiting.remove(key), at, kind);
          }
        }
        if (!drawn) {
          instants.add(new Instant(lane, event, at));
        }
      }
      // still open when the trace ended: drawn to the end of its half
      waiting.values().forEach(span -> spans.add(span));
      holding.values().forEach(span -> spans.add(span));
      spans.replaceAll(
          span ->
              span.open()
                  ? new Span(
                      span.lane(),
                      span.holding(),
                      span.primitive(),
                      span.startMs(),
                      halfEnd.get(span.lane().half) - halfStart.get(span.lane().half),
                      span.detail(),
                      span.token(),
                      "",
                      true)
                  : span);
      spans.sort(Comparator.comparingDouble(Span::startMs));
    }

    private void close(Span span, double at, String kind) {
      if (span != null) {
        spans.add(
            new Span(
                span.lane(),
                span.holding(),
                span.primitive(),
                span.startMs(),
                at,
                span.detail(),
                span.token(),
                kind,
                false));
      }
    }

    /**
     * The first cycle of each half: a detector's {@code cycle}, else a {@code deadlock} naming one.
     */
    private void cycleIn(TraceEvent event, Half half, double at) {
      boolean named =
          event.kind().equals("cycle")
              || (event.kind().equals(TraceKind.DEADLOCK)
                  && (event.detail().contains("->") || event.detail().startsWith("[")));
      if (!named || cycles.stream().anyMatch(cycle -> cycle.half() == half)) {
        return;
      }
      String text = event.detail().trim();
      if (text.startsWith("[") && text.endsWith("]")) {
        text = text.substring(1, text.length() - 1).replace(",", " ->");
      }
      List<String> nodes = new ArrayList<>();
      for (String node : text.split("->")) {
        if (!node.isBlank()) {
          nodes.add(node.trim());
        }
      }
      if (nodes.size() > 1 && nodes.get(0).equals(nodes.get(nodes.size() - 1))) {
        nodes.remove(nodes.size() - 1);
      }
      if (nodes.size() >= 2) {
        cycles.add(new Cycle(half, at, nodes));
      }
    }
  }

  static String render(String scenario, List<TraceEvent> unordered, long dropped) {
    Model model = new Model(unordered);
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>actorkit trace: ")
        .append(escape(scenario))
        .append("</title><style>")
        .append("body{font-family:sans-serif;margin:8px 16px;color:#222}")
        .append("h1{font-size:20px;margin:4px 0}p{margin:4px 0;font-size:13px}")
        .append("table{border-collapse:collapse;margin-top:12px}")
        .append(
            "td,th{border-bottom:1px solid #ddd;padding:1px 8px;text-align:left;font-size:12px}")
        .append("svg text{font-size:11px;font-family:sans-serif}")
        .append(".legend span{margin-right:14px;font-size:12px;white-space:nowrap}")
        .append("</style></head><body>");
    html.append("<h1>").append(escape(scenario)).append("</h1>");
    html.append("<p>")
        .append(model.events.size())
        .append(" events over ")
        .append(duration(model.endMs - model.startMs))
        .append(" of story time; each half is drawn from its own start")
        .append(dropped > 0 ? ", " + dropped + " more dropped (actorkit.trace.max-events)" : "")
        .append(
            ". One lane per participant; amber: waiting, green: holding (with its token); marks:"
                + " what happened (hover for detail).</p>");
    timeline(html, model);
    legend(html, model);
    if (!model.cycles.isEmpty()) {
      html.append("<div>");
      for (Cycle cycle : model.cycles) {
        waitForGraph(html, cycle);
      }
      html.append("</div>");
    }
    table(html, model);
    html.append("</body></html>\n");
    return html.toString();
  }

  private static void timeline(StringBuilder html, Model model) {
    List<Half> halves = new ArrayList<>();
    int rowCount = 0;
    int levelCount = 0;
    for (Half half : Half.values()) {
      if (!model.lanes.get(half).isEmpty() || !model.levels.get(half).isEmpty()) {
        halves.add(half);
        rowCount += rows(model.lanes.get(half));
        levelCount += model.levels.get(half).size();
      }
    }
    int row =
        Math.max(
            MIN_LANE,
            Math.min(
                MAX_LANE,
                rowCount == 0 ? MAX_LANE : (LANE_ROOM - levelCount * LEVEL_ROW) / rowCount));
    int height = AXIS;
    Map<Half, Integer> tops = new LinkedHashMap<>();
    for (Half half : halves) {
      tops.put(half, height);
      height +=
          HEADER + rows(model.lanes.get(half)) * row + model.levels.get(half).size() * LEVEL_ROW;
    }
    height += AXIS;
    double span = model.length;
    html.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"%d\""
                + " height=\"%d\" data-start-ms=\"0\" data-end-ms=\"%.3f\">",
            WIDTH,
            height,
            span));
    axis(html, span, 0, height);
    for (Half half : halves) {
      int y = tops.get(half);
      html.append(
          String.format(
              Locale.ROOT,
              "<g class=\"half\" data-half=\"%s\"><rect x=\"0\" y=\"%d\" width=\"%d\""
                  + " height=\"%d\" fill=\"#f4f4f4\"/><text x=\"4\" y=\"%d\""
                  + " font-weight=\"bold\">%s</text></g>",
              half.id,
              y + 2,
              WIDTH,
              HEADER - 4,
              y + HEADER - 7,
              half.title));
      y += HEADER;
      for (Lane lane : model.lanes.get(half)) {
        lane(html, model, lane, y, row);
        y += lane.rows.size() * row;
      }
      for (Level level : model.levels.get(half)) {
        level(html, level, y, span);
        y += LEVEL_ROW;
      }
    }
    for (Cycle cycle : model.cycles) {
      double x = x(cycle.atMs(), span);
      html.append(
          String.format(
              Locale.ROOT,
              "<line class=\"cycle-found\" data-half=\"%s\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\""
                  + " y2=\"%d\" stroke=\"%s\" stroke-dasharray=\"4 3\"><title>%s</title></line>",
              cycle.half().id,
              x,
              tops.get(cycle.half()),
              x,
              height - AXIS,
              colourOf("deadlock"),
              escape("deadlock found: " + String.join(" -> ", cycle.nodes()))));
    }
    html.append("</svg>");
  }

  private static int rows(List<Lane> lanes) {
    return lanes.stream().mapToInt(lane -> lane.rows.size()).sum();
  }

  /** Tick labels at the top and the bottom, and a light line across both halves at each tick. */
  private static void axis(StringBuilder html, double span, int top, int height) {
    double step = tickStep(span);
    html.append("<g class=\"axis\">");
    for (double t = 0; t <= span + step / 1000; t += step) {
      double x = x(t, span);
      html.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e4e4e4\"/>"
                  + "<text class=\"tick\" data-ms=\"%.0f\" x=\"%.1f\" y=\"%d\""
                  + " text-anchor=\"middle\">%s</text>"
                  + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
              x,
              top + AXIS - 6,
              x,
              height - AXIS + 4,
              t,
              x,
              top + 14,
              tickLabel(t, step),
              x,
              height - 6,
              tickLabel(t, step)));
    }
    html.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">story time</text>", top + 14));
    html.append("</g>");
  }

  /**
   * A lane: its label, then a row per primitive it has to do with (holding on the upper half of the
   * row, waiting on the lower, marks across the middle).
   */
  private static void lane(StringBuilder html, Model model, Lane lane, int top, int height) {
    html.append(
        String.format(
            Locale.ROOT,
            "<g class=\"lane\" data-half=\"%s\" data-participant=\"%s\" data-primitive=\"%s\">",
            lane.half.id,
            escape(lane.participant),
            escape(lane.primitive)));
    int bottom = top + lane.rows.size() * height;
    html.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#e8e8e8\"/>",
            bottom - 1,
            WIDTH - 10,
            bottom - 1));
    html.append(
        String.format(
            Locale.ROOT,
            "<text class=\"label\" x=\"4\" y=\"%d\"%s>%s</text>",
            top + height / 2 + 4,
            lane.ofPrimitive() ? " font-style=\"italic\" fill=\"#666\"" : "",
            escape(shorten(lane.label(), lane.rows.size() > 1 ? 14 : 24))));
    if (!lane.ofPrimitive() && lane.rows.size() > 1) {
      for (int i = 0; i < lane.rows.size(); i++) {
        html.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#888\" font-size=\"10\">%s</text>",
                LABEL_WIDTH - 4,
                top + i * height + height / 2 + 4,
                escape(shorten(lane.rows.get(i), 12))));
      }
    }
    double span = model.length;
    int bar = Math.max(4, (height - 3) / 2);
    for (Span s : model.spans) {
      if (s.lane() != lane) {
        continue;
      }
      int y = top + lane.rows.indexOf(s.primitive()) * height;
      double x1 = x(s.startMs(), span);
      double width = Math.max(2, x(s.endMs(), span) - x1);
      int barTop = s.holding() ? y + 1 : y + 1 + bar;
      String what =
          s.holding()
              ? lane.label()
                  + " holds "
                  + s.primitive()
                  + (s.token().isEmpty() ? "" : " (token " + s.token() + ")")
              : lane.label()
                  + " waits on "
                  + s.primitive()
                  + (s.detail().isEmpty() ? "" : " " + s.detail());
      html.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"span %s\" data-primitive=\"%s\" data-start-ms=\"%.3f\""
                  + " data-end-ms=\"%.3f\" data-token=\"%s\" data-end-kind=\"%s\""
                  + " data-open=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\""
                  + " fill=\"%s\" rx=\"2\"><title>%s</title></rect>",
              s.holding() ? "holding" : "waiting",
              escape(s.primitive()),
              s.startMs(),
              s.endMs(),
              escape(s.token()),
              escape(s.endKind()),
              s.open(),
              x1,
              barTop,
              width,
              bar,
              s.holding() ? HOLDING_COLOUR : WAITING_COLOUR,
              escape(
                  what
                      + ", "
                      + duration(s.startMs())
                      + " to "
                      + duration(s.endMs())
                      + (s.endKind().isEmpty()
                          ? " (still, when the trace ended)"
                          : ", then " + s.endKind()))));
      String label = s.holding() && !s.token().isEmpty() ? "#" + s.token() : "";
      if (!label.isEmpty() && width > label.length() * 6 + 4 && bar >= 8) {
        html.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" fill=\"#fff\" font-size=\"%d\">%s</text>",
                x1 + 2,
                barTop + bar - 2,
                Math.min(10, bar),
                escape(label)));
      }
    }
    for (Instant instant : model.instants) {
      if (instant.lane() != lane) {
        continue;
      }
      TraceEvent event = instant.event();
      int y = top + lane.rows.indexOf(event.actorName()) * height;
      html.append(
          String.format(
              Locale.ROOT,
              "<circle class=\"instant\" data-kind=\"%s\" data-primitive=\"%s\" data-ms=\"%.3f\""
                  + " cx=\"%.1f\" cy=\"%d\" r=\"%d\" fill=\"%s\"><title>%s</title></circle>",
              escape(event.kind()),
              escape(event.actorName()),
              instant.atMs(),
              x(instant.atMs(), span),
              y + height / 2,
              Math.max(2, Math.min(5, height / 4)),
              colourOf(event.kind()),
              escape(describe(event, instant.atMs()))));
    }
    html.append("</g>");
  }

  private static void level(StringBuilder html, Level level, int y, double span) {
    double max = 0;
    for (double[] point : level.points()) {
      max = Math.max(max, point[1]);
    }
    double scale = max <= 0 ? 0 : (LEVEL_ROW - 8) / max;
    StringBuilder points = new StringBuilder();
    StringBuilder values = new StringBuilder();
    StringBuilder times = new StringBuilder();
    double lastY = -1;
    for (double[] point : level.points()) {
      double px = x(point[0], span);
      double py = y + LEVEL_ROW - 4 - point[1] * scale;
      if (lastY >= 0) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, lastY)); // a step, not a slope
      }
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
      values.append(values.length() == 0 ? "" : ",").append(number(point[1]));
      times
          .append(times.length() == 0 ? "" : ",")
          .append(String.format(Locale.ROOT, "%.3f", point[0]));
      lastY = py;
    }
    points.append(String.format(Locale.ROOT, "%.1f,%.1f", x(span, span), lastY));
    html.append(
        String.format(
            Locale.ROOT,
            "<g class=\"level-row\" data-half=\"%s\" data-primitive=\"%s\">"
                + "<text x=\"4\" y=\"%d\" fill=\"#555\">%s level (max %s)</text>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
                + "<polyline class=\"level\" data-half=\"%s\" data-primitive=\"%s\""
                + " data-values=\"%s\" data-times-ms=\"%s\" points=\"%s\" fill=\"none\""
                + " stroke=\"#555\" stroke-width=\"1.5\"><title>%s</title></polyline></g>",
            level.half().id,
            escape(level.primitive()),
            y + LEVEL_ROW / 2 + 4,
            escape(shorten(level.primitive(), 14)),
            number(max),
            LABEL_WIDTH,
            y + LEVEL_ROW - 4,
            WIDTH - 10,
            y + LEVEL_ROW - 4,
            level.half().id,
            escape(level.primitive()),
            values,
            times,
            points.toString().trim(),
            escape(level.primitive() + " level: " + values)));
  }

  /** The cycle as a ring of nodes, owners round and locks square, arrows in wait-for order. */
  private static void waitForGraph(StringBuilder html, Cycle cycle) {
    int size = 260;
    double radius = 80;
    double centre = size / 2.0;
    int n = cycle.nodes().size();
    html.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"wait-for\" width=\"%d\""
                + " height=\"%d\" style=\"margin-right:16px\"><g class=\"wait-for-graph\""
                + " data-half=\"%s\" data-at-ms=\"%.3f\" data-cycle=\"%s\">"
                + "<defs><marker id=\"arrow-%s\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\""
                + " markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5"
                + " L0,10 z\" fill=\"#444\"/></marker></defs>"
                + "<text x=\"4\" y=\"14\" font-weight=\"bold\">%s: the wait-for cycle at %s</text>",
            size + 60,
            size,
            cycle.half().id,
            cycle.atMs(),
            escape(String.join(" -> ", cycle.nodes())),
            cycle.half().id,
            cycle.half().title,
            duration(cycle.atMs())));
    double[][] at = new double[n][];
    for (int i = 0; i < n; i++) {
      double angle = -Math.PI / 2 + 2 * Math.PI * i / n;
      at[i] =
          new double[] {
            centre + 30 + radius * Math.cos(angle), centre + 10 + radius * Math.sin(angle)
          };
    }
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      double dx = at[j][0] - at[i][0];
      double dy = at[j][1] - at[i][1];
      double length = Math.max(1, Math.hypot(dx, dy));
      double shrink = 22 / length;
      // owners (even places) wait for locks; locks (odd places) are held by owners
      String label = i % 2 == 0 ? "waits for" : "held by";
      html.append(
          String.format(
              Locale.ROOT,
              "<line class=\"edge\" data-edge=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\""
                  + " y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\""
                  + " marker-end=\"url(#arrow-%s)\"><title>%s</title></line>"
                  + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#666\""
                  + " font-size=\"10\">%s</text>",
              escape(cycle.nodes().get(i) + "->" + cycle.nodes().get(j)),
              at[i][0] + dx * shrink,
              at[i][1] + dy * shrink,
              at[j][0] - dx * shrink,
              at[j][1] - dy * shrink,
              i % 2 == 0 ? WAITING_COLOUR : HOLDING_COLOUR,
              cycle.half().id,
              escape(cycle.nodes().get(i) + " " + label + " " + cycle.nodes().get(j)),
              (at[i][0] + at[j][0]) / 2,
              (at[i][1] + at[j][1]) / 2 - 3,
              label));
    }
    for (int i = 0; i < n; i++) {
      String node = cycle.nodes().get(i);
      boolean owner = i % 2 == 0;
      html.append(
          String.format(
              Locale.ROOT,
              "<g class=\"node\" data-node=\"%s\" data-role=\"%s\">",
              escape(node),
              owner ? "owner" : "lock"));
      if (owner) {
        html.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"20\" fill=\"#fff\" stroke=\"#333\"/>",
                at[i][0],
                at[i][1]));
      } else {
        html.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"40\" height=\"28\" fill=\"#eee\""
                    + " stroke=\"#333\"/>",
                at[i][0] - 20,
                at[i][1] - 14));
      }
      html.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\">%s</text></g>",
              at[i][0],
              at[i][1] + 4,
              escape(shorten(node, 9))));
    }
    html.append("</g></svg>");
  }

  private static void legend(StringBuilder html, Model model) {
    html.append("<p class=\"legend\">");
    html.append(
        String.format(
            "<span><b style=\"color:%s\">&#9644;</b> waiting</span>"
                + "<span><b style=\"color:%s\">&#9644;</b> holding (#token)</span>",
            WAITING_COLOUR, HOLDING_COLOUR));
    if (model.levels.values().stream().anyMatch(list -> !list.isEmpty())) {
      html.append("<span><b style=\"color:#555\">&#8212;</b> level</span>");
    }
    for (String kind : model.kinds) {
      if (kind.equals(TraceKind.LEVEL)) {
        continue;
      }
      html.append("<span style=\"color:")
          .append(colourOf(kind))
          .append("\">&#9679; ")
          .append(escape(kind))
          .append("</span>");
    }
    html.append("</p>");
  }

  private static void table(StringBuilder html, Model model) {
    html.append(
        "<table><tr><th>story time (from its half's start)</th><th>half</th><th>participant</th><th>primitive</th>"
            + "<th>what</th><th>detail</th></tr>");
    for (TraceEvent event : model.events) {
      html.append(
          String.format(
              Locale.ROOT,
              "<tr><td>%.2f ms</td><td>%s</td><td>%s</td><td>%s</td>"
                  + "<td style=\"color:%s\">%s</td><td>%s</td></tr>",
              model.at(event),
              Half.of(event).id,
              escape(event.participant()),
              escape(event.actorName()),
              colourOf(event.kind()),
              escape(event.kind()),
              escape(readable(event.detail()))));
    }
    html.append("</table>");
  }

  private static double x(double ms, double span) {
    return LABEL_WIDTH + ms / span * PLOT_WIDTH;
  }

  /** A round step for about eight ticks: 1, 2 or 5 times a power of ten, in milliseconds. */
  private static double tickStep(double span) {
    double raw = span / 8;
    double power = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-3))));
    for (double factor : new double[] {1, 2, 5, 10}) {
      if (raw <= factor * power) {
        return factor * power;
      }
    }
    return 10 * power;
  }

  /** A tick's label: milliseconds under a second, else seconds. */
  private static String tickLabel(double ms, double step) {
    if (step < 1000 && ms < 1000) {
      return String.format(Locale.ROOT, "%.0f ms", ms);
    }
    return String.format(Locale.ROOT, step < 1000 ? "%.1f s" : "%.0f s", ms / 1000);
  }

  private static String duration(double ms) {
    return ms < 1000
        ? String.format(Locale.ROOT, "%.0f ms", ms)
        : String.format(Locale.ROOT, "%.2f s", ms / 1000);
  }

  private static String describe(TraceEvent event, double atMs) {
    String who = event.participant().isEmpty() ? "" : event.participant() + ": ";
    return duration(atMs)
        + " "
        + who
        + event.actorName()
        + " "
        + event.kind()
        + (event.detail().isEmpty() ? "" : " " + readable(event.detail()));
  }

  private static final Pattern ISO_DURATION =
      Pattern.compile("\\bPT(?:(\\d+)M)?(?:([\\d.]+)S)?\\b");

  /** A detail as a learner reads it: a {@code Duration}'s {@code PT1.5S} as {@code 1.5 s}. */
  static String readable(String detail) {
    if (!detail.contains("PT")) {
      return detail;
    }
    Matcher m = ISO_DURATION.matcher(detail);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      double seconds =
          (m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 60)
              + (m.group(2) == null ? 0 : Double.parseDouble(m.group(2)));
      m.appendReplacement(out, Matcher.quoteReplacement(number(seconds) + " s"));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Double number(String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }

  private static String number(double value) {
    return value == Math.rint(value)
        ? String.valueOf((long) value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String shorten(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> {
          // XML 1.0 refuses most control characters; a payload may carry them
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            out.append('?');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
