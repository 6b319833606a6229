package dev.actorkit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JMH result file ({@code -rf json -rff FILE}) and prints, per benchmark and parameters,
 * the mean of each fork, their median and their range — so a result that is fast in some JVMs and
 * slow in others shows as such, where JMH's one mean ± error would blur it. Then, for each pair of
 * rows named on the command line as {@code subject=baseline} (row names as printed), the ratio of
 * the two in every fork (fork i of one with fork i of the other, both from the same run), with its
 * median and its lowest value.
 *
 * <pre>
 * java -jar benchmarks/target/actorkit-benchmarks.jar -f 5 ... -rf json -rff run.json
 * java -cp benchmarks/target/actorkit-benchmarks.jar dev.actorkit.bench.ForkSummary run.json \
 *     'PingPongBenchmark.roundTrips[coordination]=PingPongBenchmark.roundTrips[default]'
 * </pre>
 */
public final class ForkSummary {

  private ForkSummary() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ForkSummary RESULT.json [subject=baseline ...]");
      System.exit(2);
    }
    Map<String, List<Double>> forks = read(new File(args[0]));
    System.out.printf("| benchmark | forks (mean of each) | median | range |%n|---|---|---|---|%n");
    forks.forEach(
        (name, means) ->
            System.out.printf(
                "| %s | %s | %s | %s–%s |%n",
                name,
                String.join(", ", means.stream().map(ForkSummary::format).toList()),
                format(median(means)),
                format(min(means)),
                format(max(means))));
    if (args.length > 1) {
      System.out.printf("%n| ratio | per fork | median | lowest |%n|---|---|---|---|%n");
    }
    for (int i = 1; i < args.length; i++) {
      String[] pair = args[i].split("=", 2);
      List<Double> subject = forks.get(pair[0]);
      List<Double> baseline = pair.length == 2 ? forks.get(pair[1]) : null;
      if (subject == null || baseline == null) {
        System.out.printf("| %s | (no such rows) | | |%n", args[i]);
        continue;
      }
      List<Double> ratios = new ArrayList<>();
      for (int f = 0; f < Math.min(subject.size(), baseline.size()); f++) {
        ratios.add(subject.get(f) / baseline.get(f));
      }
      System.out.printf(
          "| %s / %s | %s | %.2f | %.2f |%n",
          pair[0],
          pair[1],
          String.join(", ", ratios.stream().map(r -> String.format("%.2f", r)).toList()),
          median(ratios),
          min(ratios));
    }
  }

  /** Row name ({@code Class.method[param,...]}) to the mean score of each fork, in fork order. */
  static Map<String, List<Double>> read(File file) throws java.io.IOException {
    Map<String, List<Double>> rows = new LinkedHashMap<>();
    for (JsonNode run : new ObjectMapper().readTree(file)) {
      String benchmark = run.get("benchmark").asText();
      String name =
          benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
      JsonNode params = run.get("params");
      if (params != null && params.size() > 0) {
        List<String> values = new ArrayList<>();
        for (Iterator<JsonNode> it = params.elements(); it.hasNext(); ) {
          values.add(it.next().asText());
        }
        name += "[" + String.join(",", values) + "]";
      }
      List<Double> means = new ArrayList<>();
      for (JsonNode fork : run.get("primaryMetric").get("rawData")) {
        double sum = 0;
        for (JsonNode iteration : fork) {
          sum += iteration.asDouble();
        }
        means.add(sum / fork.size());
      }
      rows.put(name, means);
    }
    return rows;
  }

  /** The median of {@code values} (the mean of the middle two for an even count). */
  public static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  private static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** 1234567 → 1.23M, 12345 → 12.3k. */
  static String format(double value) {
    if (value >= 1e6) {
      return String.format("%.2fM", value / 1e6);
    }
    if (value >= 1e3) {
      return String.format("%.1fk", value / 1e3);
    }
    return String.format("%.2f", value);
  }
}
