package dev.ioloop.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the ratio table from the files a run leaves in one directory (each optional):
 * <ul>
 *   <li>{@code jmh.csv}: JMH's {@code -rf csv} output of B1-B7;</li>
 *   <li>{@code interleaved.tsv}: {@code InterleavedRatios}' B1, B2, B3, B6 and B7 ratios (contenders
 *       taking turns in short slices), labelled "(interleaved)";</li>
 *   <li>{@code latency.tsv}: {@code WakeupLatencyMain}'s B5 percentiles;</li>
 *   <li>{@code load.tsv}: {@code run-load.sh}'s redis-benchmark results, columns
 *       {@code round, server, config, test, rps} (server {@code ioloop}, {@code netty}, {@code redis});
 *       the median over rounds is used;</li>
 *   <li>{@code idle.tsv}: the idle-connections run, columns {@code server, connections,
 *       heap_bytes_per_connection, rss_bytes_per_connection}.</li>
 * </ul>
 * Writes {@code ratios.md} and {@code ratios.tsv} (columns {@code benchmark, peer, ratio}) there
 * and prints the Markdown. A ratio above 1.0 always means ioloop is ahead (see {@link Figure#ratio()}).
 *
 * <p>Usage: {@code RatioReport [directory]} (default {@code target/benchmarks}).
 */
public final class RatioReport {

    private static final String[] PEERS = {"netty", "jdk"};

    private RatioReport() {
    }

    /**
     * Reads the directory's results, writes {@code ratios.md} and {@code ratios.tsv}, prints the Markdown.
     *
     * @param args {@code [directory]}
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/benchmarks");
        List<Figure> figures = figures(dir);
        String markdown = markdown(figures, dir) + rawLoad(dir);
        Files.writeString(dir.resolve("ratios.md"), markdown, StandardCharsets.UTF_8);
        Files.write(dir.resolve("ratios.tsv"), tsv(figures), StandardCharsets.UTF_8);
        System.out.print(markdown);
    }

    /**
     * Every figure the directory's files allow, micro first, then macro.
     *
     * @param dir the results directory
     * @return the figures, in table order
     * @throws IOException if a present file cannot be read
     */
    public static List<Figure> figures(Path dir) throws IOException {
        List<Figure> figures = new ArrayList<>();
        Path jmh = dir.resolve("jmh.csv");
        if (Files.exists(jmh)) {
            figures.addAll(microFigures(Table.csv(Files.readAllLines(jmh, StandardCharsets.UTF_8))));
        }
        Path interleaved = dir.resolve("interleaved.tsv");
        if (Files.exists(interleaved)) {
            for (Map<String, String> row : Table.tsv(Files.readAllLines(interleaved, StandardCharsets.UTF_8)).rows()) {
                figures.add(new InterleavedFigure(row.get("benchmark") + " (interleaved)", row.get("unit"),
                        Double.parseDouble(row.get("ours")), row.get("peer"), Double.parseDouble(row.get("theirs")),
                        Double.parseDouble(row.get("ratio"))).figure());
            }
        }
        Path latency = dir.resolve("latency.tsv");
        if (Files.exists(latency)) {
            figures.addAll(latencyFigures(Table.tsv(Files.readAllLines(latency, StandardCharsets.UTF_8))));
        }
        Path load = dir.resolve("load.tsv");
        if (Files.exists(load)) {
            figures.addAll(loadFigures(Table.tsv(Files.readAllLines(load, StandardCharsets.UTF_8))));
        }
        Path idle = dir.resolve("idle.tsv");
        if (Files.exists(idle)) {
            figures.addAll(idleFigures(Table.tsv(Files.readAllLines(idle, StandardCharsets.UTF_8))));
        }
        return figures;
    }

    private static List<Figure> microFigures(Table jmh) {
        List<Figure> figures = new ArrayList<>();
        Map<String, double[]> scores = new HashMap<>(); // key: benchmark + params -> {score}
        Map<String, String> units = new HashMap<>();
        for (Map<String, String> row : jmh.rows()) {
            String benchmark = row.get("Benchmark").replaceFirst("^.*\\.([A-Za-z]+Benchmark\\.)", "$1");
            String key = benchmark + "|" + row.getOrDefault("Param: impl", "") + "|"
                    + row.getOrDefault("Param: pending", "") + "|" + row.getOrDefault("Param: observe", "")
                    + "||" + row.getOrDefault("Param: layout", "");
            scores.put(key, new double[] {Double.parseDouble(row.get("Score"))});
            units.put(benchmark, row.get("Unit"));
        }
        micro(figures, scores, units, "B1 cross-thread callbacks, 1 producer", "CrossThreadCallbacksBenchmark.oneProducer", "", true);
        micro(figures, scores, units, "B1 cross-thread callbacks, 4 producers", "CrossThreadCallbacksBenchmark.fourProducers", "", true);
        micro(figures, scores, units, "B2 same-thread callback chain", "CallbackChainBenchmark.chain", "", true);
        micro(figures, scores, units, "B3 timer schedule+cancel, 0 pending", "TimerScheduleCancelBenchmark.scheduleCancel", "0", true);
        micro(figures, scores, units, "B3 timer schedule+cancel, 100k pending", "TimerScheduleCancelBenchmark.scheduleCancel", "100000", true);
        micro(figures, scores, units, "B4 fire 1M timers over 100 ms", "TimerFireBenchmark.fireAll", "", false);
        micro(figures, scores, units, "B5 wake-up round trip (JMH mean)", "WakeupLatencyBenchmark.roundTrip", "", false);
        onNetty(figures, scores, units, "B1 cross-thread callbacks, 1 producer", "CrossThreadCallbacksBenchmark.oneProducer", "", true);
        onNetty(figures, scores, units, "B1 cross-thread callbacks, 4 producers", "CrossThreadCallbacksBenchmark.fourProducers", "", true);
        onNetty(figures, scores, units, "B2 same-thread callback chain", "CallbackChainBenchmark.chain", "", true);
        onNetty(figures, scores, units, "B3 timer schedule+cancel, 0 pending", "TimerScheduleCancelBenchmark.scheduleCancel", "0", true);
        onNetty(figures, scores, units, "B3 timer schedule+cancel, 100k pending", "TimerScheduleCancelBenchmark.scheduleCancel", "100000", true);
        onNetty(figures, scores, units, "B4 fire 1M timers over 100 ms", "TimerFireBenchmark.fireAll", "", false);
        onNetty(figures, scores, units, "B5 wake-up round trip (JMH mean)", "WakeupLatencyBenchmark.roundTrip", "", false);
        handOff(figures, scores, units);
        observability(figures, scores, units, "B6 watchdog+stats on/off, B1 burst", "ObservabilityBenchmark.crossThreadBurst", true);
        observability(figures, scores, units, "B6 watchdog+stats on/off, echo round trip", "ObservabilityBenchmark.echoRoundTrip", true);
        return figures;
    }

    private static void micro(List<Figure> figures, Map<String, double[]> scores, Map<String, String> units,
                              String label, String benchmark, String pending, boolean higherIsBetter) {
        double[] ours = scores.get(benchmark + "|ioloop|" + pending + "|||");
        if (ours == null) {
            return;
        }
        for (String peer : PEERS) {
            double[] theirs = scores.get(benchmark + "|" + peer + "|" + pending + "|||");
            if (theirs != null) {
                figures.add(new Figure(label, units.get(benchmark), ours[0], peer, theirs[0], higherIsBetter));
            }
        }
    }

    /** ioloop-netty's figures: the IOLoop on its own Netty event loop against plain Netty. */
    private static void onNetty(List<Figure> figures, Map<String, double[]> scores, Map<String, String> units,
                                String label, String benchmark, String pending, boolean higherIsBetter) {
        double[] ours = scores.get(benchmark + "|ioloop-netty|" + pending + "|||");
        double[] theirs = scores.get(benchmark + "|netty|" + pending + "|||");
        if (ours != null && theirs != null) {
            figures.add(new Figure(label + ", ioloop-netty", units.get(benchmark), ours[0], "netty", theirs[0],
                    higherIsBetter));
        }
    }

    /** B7: the hand-off round trip on one thread (ioloop-netty) against two (Netty plus a separate IOLoop). */
    private static void handOff(List<Figure> figures, Map<String, double[]> scores, Map<String, String> units) {
        String benchmark = "HandOffRoundTripBenchmark.roundTrip";
        double[] one = scores.get(benchmark + "|||||one-thread");
        double[] two = scores.get(benchmark + "|||||two-threads");
        if (one != null && two != null) {
            figures.add(new Figure("B7 Netty channel to IOLoop code and back, one thread vs two", units.get(benchmark),
                    one[0], "two-threads", two[0], true));
        }
    }

    private static void observability(List<Figure> figures, Map<String, double[]> scores, Map<String, String> units,
                                      String label, String benchmark, boolean higherIsBetter) {
        double[] on = scores.get(benchmark + "|||on||");
        double[] off = scores.get(benchmark + "|||off||");
        if (on != null && off != null) {
            figures.add(new Figure(label, units.get(benchmark), on[0], "observe=off", off[0], higherIsBetter));
        }
    }

    private static List<Figure> latencyFigures(Table latency) {
        Map<String, Map<String, String>> byImpl = new LinkedHashMap<>();
        latency.rows().forEach(row -> byImpl.put(row.get("impl"), row));
        List<Figure> figures = new ArrayList<>();
        // "ioloop": nothing registered (the loop parks); "ioloop+channel": a channel registered (select)
        String[][] variants = {{"ioloop", ""}, {"ioloop+channel", ", channel registered"}, {"ioloop-netty", ", ioloop-netty"}};
        for (String[] variant : variants) {
            Map<String, String> ours = byImpl.get(variant[0]);
            if (ours == null) {
                continue;
            }
            for (String column : new String[] {"p50_us", "p99_us", "p999_us"}) {
                for (String peer : PEERS) {
                    Map<String, String> theirs = byImpl.get(peer);
                    if (theirs != null) {
                        String percentile = column.replace("_us", "").replace("p999", "p99.9");
                        figures.add(new Figure("B5 wake-up latency " + percentile + variant[1], "us",
                                Double.parseDouble(ours.get(column)), peer, Double.parseDouble(theirs.get(column)),
                                false));
                    }
                }
            }
        }
        return figures;
    }

    private static List<Figure> loadFigures(Table load) {
        Map<String, List<Double>> samples = new LinkedHashMap<>(); // config|test|server -> rps per round
        List<String> order = new ArrayList<>();
        for (Map<String, String> row : load.rows()) {
            String configTest = row.get("config") + "|" + row.get("test");
            if (!order.contains(configTest)) {
                order.add(configTest);
            }
            samples.computeIfAbsent(configTest + "|" + row.get("server"), k -> new ArrayList<>())
                    .add(Double.parseDouble(row.get("rps")));
        }
        List<Figure> figures = new ArrayList<>();
        for (String configTest : order) {
            List<Double> ours = samples.get(configTest + "|ioloop");
            if (ours == null) {
                continue;
            }
            String[] parts = configTest.split("\\|");
            for (String peer : new String[] {"netty", "redis"}) {
                List<Double> theirs = samples.get(configTest + "|" + peer);
                if (theirs != null) {
                    figures.add(new Figure("load " + parts[1] + " " + parts[0], "req/s",
                            median(ours), peer, median(theirs), true));
                }
            }
        }
        return figures;
    }

    private static List<Figure> idleFigures(Table idle) {
        Map<String, Map<String, String>> byServer = new LinkedHashMap<>();
        idle.rows().forEach(row -> byServer.put(row.get("server"), row));
        List<Figure> figures = new ArrayList<>();
        Map<String, String> ours = byServer.get("ioloop");
        if (ours == null) {
            return figures;
        }
        for (Map.Entry<String, Map<String, String>> peer : byServer.entrySet()) {
            if (peer.getKey().equals("ioloop")) {
                continue;
            }
            for (String column : new String[] {"heap_bytes_per_connection", "rss_bytes_per_connection"}) {
                double theirs = parseOrNaN(peer.getValue().get(column));
                if (!Double.isNaN(theirs)) {
                    figures.add(new Figure("idle " + ours.get("connections") + " connections, "
                            + column.replace("_bytes_per_connection", "") + " per connection", "bytes",
                            parseOrNaN(ours.get(column)), peer.getKey(), theirs, false));
                }
            }
        }
        return figures;
    }

    /**
     * The Markdown report: a short header (date, machine, JVM) and one table row per figure.
     *
     * @param figures the figures
     * @param dir where the inputs came from, named in the header
     * @return the Markdown text
     */
    public static String markdown(List<Figure> figures, Path dir) {
        StringBuilder md = new StringBuilder();
        md.append("Run of ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" on ")
                .append(Machine.describe()).append(" (results from `").append(dir).append("`).\n\n")
                .append("Ratio > 1.00 means ioloop is ahead: ours / peer for throughput, peer / ours for times and sizes.\n\n")
                .append("| Benchmark | Unit | ioloop | Peer | Peer value | Ratio |\n")
                .append("|---|---|---:|---|---:|---:|\n");
        for (Figure figure : figures) {
            md.append("| ").append(figure.benchmark()).append(" | ").append(figure.unit()).append(" | ")
                    .append(format(figure.ours())).append(" | ").append(figure.peer()).append(" | ")
                    .append(format(figure.theirs())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", figure.ratio())).append(" |\n");
        }
        return md.toString();
    }

    /**
     * The load run's raw medians (requests per second, every server, every configuration and test)
     * and the idle-connection sizes, as Markdown; empty when the run had no load part.
     *
     * @param dir the results directory
     * @return the Markdown sections, or an empty string
     * @throws IOException if a present file cannot be read
     */
    public static String rawLoad(Path dir) throws IOException {
        StringBuilder md = new StringBuilder();
        Path load = dir.resolve("load.tsv");
        if (Files.exists(load)) {
            Map<String, Map<String, List<Double>>> byTest = new LinkedHashMap<>(); // config test -> server -> rps
            List<String> servers = new ArrayList<>();
            for (Map<String, String> row : Table.tsv(Files.readAllLines(load, StandardCharsets.UTF_8)).rows()) {
                if (!servers.contains(row.get("server"))) {
                    servers.add(row.get("server"));
                }
                byTest.computeIfAbsent(row.get("config") + " " + row.get("test"), k -> new LinkedHashMap<>())
                        .computeIfAbsent(row.get("server"), k -> new ArrayList<>()).add(Double.parseDouble(row.get("rps")));
            }
            md.append("\nLoad run, redis-benchmark requests/s (median of rounds):\n\n| Configuration and test |");
            servers.forEach(server -> md.append(' ').append(server).append(" |"));
            md.append("\n|---|").append("---:|".repeat(servers.size())).append('\n');
            byTest.forEach((test, perServer) -> {
                md.append("| ").append(test).append(" |");
                servers.forEach(server -> md.append(' ').append(perServer.containsKey(server)
                        ? format(median(perServer.get(server))) : "n/a").append(" |"));
                md.append('\n');
            });
        }
        Path idle = dir.resolve("idle.tsv");
        if (Files.exists(idle)) {
            md.append("\nIdle connections (bytes per connection):\n\n| Server | Connections | Heap | RSS |\n|---|---:|---:|---:|\n");
            for (Map<String, String> row : Table.tsv(Files.readAllLines(idle, StandardCharsets.UTF_8)).rows()) {
                md.append("| ").append(row.get("server")).append(" | ").append(row.get("connections")).append(" | ")
                        .append(row.get("heap_bytes_per_connection")).append(" | ")
                        .append(row.get("rss_bytes_per_connection")).append(" |\n");
            }
        }
        return md.toString();
    }

    /**
     * The machine-readable table: header {@code benchmark peer ratio}, one row per figure.
     *
     * @param figures the figures
     * @return the lines, tab-separated
     */
    public static List<String> tsv(List<Figure> figures) {
        List<String> lines = new ArrayList<>();
        lines.add("benchmark\tpeer\tratio");
        for (Figure figure : figures) {
            lines.add(figure.benchmark() + "\t" + figure.peer() + "\t"
                    + String.format(Locale.ROOT, "%.4f", figure.ratio()));
        }
        return lines;
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double parseOrNaN(String value) {
        try {
            return value == null ? Double.NaN : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** An interleaved row: its ratio is the median of paired ratios, not the ratio of the medians. */
    private record InterleavedFigure(String benchmark, String unit, double ours, String peer, double theirs,
                                     double ratio) {
        Figure figure() {
            return new Figure(benchmark, unit, ours, peer, theirs, true, ratio);
        }
    }

    /** A parsed CSV or TSV file: a header and rows keyed by it. */
    record Table(List<Map<String, String>> rows) {

        static Table tsv(List<String> lines) {
            return parse(lines, line -> Arrays.asList(line.split("\t", -1)));
        }

        /** JMH's CSV: comma-separated, fields quoted with double quotes, no embedded quotes. */
        static Table csv(List<String> lines) {
            return parse(lines, RatioReport::splitCsv);
        }

        private static Table parse(List<String> lines, java.util.function.Function<String, List<String>> split) {
            List<Map<String, String>> rows = new ArrayList<>();
            if (lines.isEmpty()) {
                return new Table(rows);
            }
            List<String> header = split.apply(lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> fields = split.apply(line);
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.size() && i < fields.size(); i++) {
                    row.put(header.get(i), fields.get(i));
                }
                rows.add(row);
            }
            return new Table(rows);
        }
    }

    private static List<String> splitCsv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
