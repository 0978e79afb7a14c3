package dev.ioloop.benchmarks.report;

/**
 * One row of the ratio table: ioloop's figure against one peer's, measured in the same run.
 *
 * @param benchmark what was measured, e.g. {@code B1 cross-thread, 1 producer}
 * @param unit the unit of both raw values, e.g. {@code ops/s}
 * @param ours ioloop's (or our sample server's) value
 * @param peer the peer's name: {@code netty}, {@code jdk}, {@code redis}, {@code observe=off}
 * @param theirs the peer's value
 * @param higherIsBetter true for throughput, false for times and sizes
 * @param measuredRatio the ratio when it was measured directly (median of paired slices), else NaN
 */
public record Figure(String benchmark, String unit, double ours, String peer, double theirs, boolean higherIsBetter,
                     double measuredRatio) {

    /**
     * A figure whose ratio is computed from the two values.
     *
     * @param benchmark what was measured
     * @param unit the unit of both values
     * @param ours ioloop's value
     * @param peer the peer's name
     * @param theirs the peer's value
     * @param higherIsBetter true for throughput, false for times and sizes
     */
    public Figure(String benchmark, String unit, double ours, String peer, double theirs, boolean higherIsBetter) {
        this(benchmark, unit, ours, peer, theirs, higherIsBetter, Double.NaN);
    }

    /**
     * How much better ioloop is: the measured ratio if there is one, else ours / theirs for
     * throughput and theirs / ours for times and sizes, so above 1.0 always means ioloop is ahead.
     *
     * @return the ratio, or NaN when a value is not positive
     */
    public double ratio() {
        if (!Double.isNaN(measuredRatio)) {
            return measuredRatio;
        }
        if (!(ours > 0) || !(theirs > 0)) {
            return Double.NaN;
        }
        return higherIsBetter ? ours / theirs : theirs / ours;
    }
}
