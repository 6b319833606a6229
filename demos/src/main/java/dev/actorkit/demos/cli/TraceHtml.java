package dev.actorkit.demos.cli;

import dev.actorkit.core.trace.TraceEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns trace events into one self-contained HTML page: a timeline with a lane per actor (each
 * event a mark you can hover for its detail), then the same events as a table.
 */
final class TraceHtml {

  private static final int LANE_HEIGHT = 28;
  private static final int LABEL_WIDTH = 220;
  private static final int PLOT_WIDTH = 900;

  private TraceHtml() {}

  static String render(String scenario, List<TraceEvent> events, long dropped) {
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

    int height = lanes.size() * LANE_HEIGHT + 40;
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
    for (TraceEvent event : events) {
      double x = LABEL_WIDTH + (event.at().toNanos() / 1e6 - startMs) / spanMs * PLOT_WIDTH;
      int y = lanes.get(event.actor()) * LANE_HEIGHT + 20;
      String color = "hsl(" + (kinds.indexOf(event.kind()) * 67 % 360) + ",70%,45%)";
      html.append(
          String.format(
              "<circle cx=\"%.1f\" cy=\"%d\" r=\"5\" fill=\"%s\"><title>%s</title></circle>",
              x, y, color, escape(describe(event))));
    }
    html.append("</svg><p>");
    for (String kind : kinds) {
      html.append("<span style=\"color:hsl(")
          .append(kinds.indexOf(kind) * 67 % 360)
          .append(",70%,45%)\">&#9679; ")
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
