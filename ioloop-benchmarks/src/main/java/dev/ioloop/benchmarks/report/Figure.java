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
 */
public record Figure(String benchmark, String unit, double ours, String peer, double theirs, boolean higherIsBetter) {

    /**
     * How much better ioloop is: ours / theirs for throughput, theirs / ours for times and sizes,
     * so above 1.0 always means ioloop is ahead.
     *
     * @return the ratio, or NaN when a value is not positive
     */
    public double ratio() {
        if (!(ours > 0) || !(theirs > 0)) {
            return Double.NaN;
        }
        return higherIsBetter ? ours / theirs : theirs / ours;
    }
}
