package dev.actorkit.demos.cli;

import dev.actorkit.core.trace.TraceEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns trace events into one self-contained HTML page: a timeline with a lane per actor and a
 * story-time axis (each event a mark you can hover for its detail), a legend, then the same events
 * as a table, in time order.
 *
 * <p>Every kind of event has one colour on every page ({@link #colourOf}): waiting is amber,
 * getting in is green, giving back is blue, a refusal or a time-out is red, a signal is purple;
 * kinds not named there are grey.
 */
final class TraceHtml {

  /** The fixed colour of each family of events, so a page reads like the one before it. */
  private static final Map<String, String> COLOURS = colours();

  private static Map<String, String> colours() {
    Map<String, String> colours = new LinkedHashMap<>();
    String waiting = "#e69f00";
    String in = "#009e73";
    String out = "#0072b2";
    String refused = "#d55e00";
    String signal = "#8e44ad";
    for (String kind : List.of("requested", "waiting", "subscribed", "sent", "put")) {
      colours.put(kind, waiting);
    }
    for (String kind :
        List.of("granted", "taken", "started", "passed", "deposit", "withdraw", "hello")) {
      colours.put(kind, in);
    }
    for (String kind :
        List.of(
            "released",
            "finished",
            "downgraded",
            "withdrawn",
            "requeued",
            "moved",
            "closed",
            "hello-back")) {
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
            "worker-died")) {
      colours.put(kind, refused);
    }
    for (String kind :
        List.of("set", "woke", "cleared", "reset", "published", "worker-retired", "recovered")) {
      colours.put(kind, signal);
    }
    return colours;
  }

  /** The colour of {@code kind} on every page. */
  static String colourOf(String kind) {
    return COLOURS.getOrDefault(kind, "#777777");
  }

  private static final int LANE_HEIGHT = 28;
  private static final int LABEL_WIDTH = 220;
  private static final int PLOT_WIDTH = 900;

  private TraceHtml() {}

  static String render(String scenario, List<TraceEvent> unordered, long dropped) {
    List<TraceEvent> events = new ArrayList<>(unordered);
    events.sort(java.util.Comparator.comparing(TraceEvent::at)); // stable: ties keep their order
    Map<String, Integer> lanes = new LinkedHashMap<>();
    events.forEach(event -> lanes.putIfAbsent(event.actor(), lanes.size()));
    double endMs = events.stream().mapToDouble(event -> event.at().toNanos() / 1e6).max().orElse(1);
    double startMs =
        events.stream().mapToDouble(event -> event.at().toNanos() / 1e6).min().orElse(0);
    double spanMs = Math.max(1, endMs - startMs);
    List<String> kinds = new ArrayList<>();
    events.forEach(
        event -> {
          if (!kinds.contains(event.kind())) kinds.add(event.kind());
        });

    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>actorkit trace: ")
        .append(escape(scenario))
        .append(
            "</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
        .append(
            "td,th{border-bottom:1px solid #ddd;padding:2px 8px;text-align:left;font-size:13px}")
        .append("text{font-size:12px}</style></head><body>");
    html.append("<h1>").append(escape(scenario)).append("</h1>");
    html.append("<p>")
        .append(events.size())
        .append(" events over ")
        .append(String.format("%.1f", spanMs))
        .append(" ms of story time")
        .append(dropped > 0 ? ", " + dropped + " more dropped (actorkit.trace.max-events)" : "")
        .append(".</p>");

    int height = lanes.size() * LANE_HEIGHT + 60;
    html.append("<svg width=\"")
        .append(LABEL_WIDTH + PLOT_WIDTH + 20)
        .append("\" height=\"")
        .append(height)
        .append("\">");
    lanes.forEach(
        (actor, lane) -> {
          int y = lane * LANE_HEIGHT + 20;
          html.append("<text x=\"0\" y=\"")
              .append(y + 4)
              .append("\">")
              .append(escape(actor))
              .append("</text>");
          html.append("<line x1=\"")
              .append(LABEL_WIDTH)
              .append("\" y1=\"")
              .append(y)
              .append("\" x2=\"")
              .append(LABEL_WIDTH + PLOT_WIDTH)
              .append("\" y2=\"")
              .append(y)
              .append("\" stroke=\"#eee\"/>");
        });
    int axis = lanes.size() * LANE_HEIGHT + 20;
    for (int tick = 0; tick <= 5; tick++) {
      double x = LABEL_WIDTH + tick * PLOT_WIDTH / 5.0;
      html.append(
          String.format(
              "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                  + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
              x, x, axis, x, axis + 16, tickLabel(tick * spanMs / 5)));
    }
    html.append(String.format("<text x=\"0\" y=\"%d\">story time</text>", axis + 16));
    for (TraceEvent event : events) {
      double x = LABEL_WIDTH + (event.at().toNanos() / 1e6 - startMs) / spanMs * PLOT_WIDTH;
      int y = lanes.get(event.actor()) * LANE_HEIGHT + 20;
      String color = colourOf(event.kind());
      html.append(
          String.format(
              "<circle cx=\"%.1f\" cy=\"%d\" r=\"5\" fill=\"%s\"><title>%s</title></circle>",
              x, y, color, escape(describe(event))));
    }
    html.append("</svg><p>");
    for (String kind : kinds) {
      html.append("<span style=\"color:")
          .append(colourOf(kind))
          .append("\">&#9679; ")
          .append(escape(kind))
          .append("</span> &nbsp; ");
    }
    html.append("</p><table><tr><th>story ms</th><th>actor</th><th>what</th><th>detail</th></tr>");
    for (TraceEvent event : events) {
      html.append(
          String.format(
              "<tr><td>%.2f</td><td>%s</td><td>%s</td><td>%s</td></tr>",
              event.at().toNanos() / 1e6 - startMs,
              escape(event.actor()),
              escape(event.kind()),
              escape(event.detail())));
    }
    html.append("</table></body></html>\n");
    return html.toString();
  }

  /** A tick's label: milliseconds under a second, else seconds. */
  private static String tickLabel(double ms) {
    return ms < 1000 ? String.format("%.0f ms", ms) : String.format("%.1f s", ms / 1000);
  }

  private static String describe(TraceEvent event) {
    return event.actor() + " " + event.kind() + " " + event.detail();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
