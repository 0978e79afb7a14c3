/**
 * JMH micro benchmarks B1-B6 and the B5 wake-up latency main.
 *
 * <p>Every benchmark that has a peer takes the {@code impl} parameter ({@code ioloop}, {@code ioloop-netty},
 * {@code netty}, {@code jdk}), so one JMH run measures all four back to back. Benchmark threads only submit work
 * and wait for it; the measured work runs on the loop thread of the implementation under test.
 * Nothing here asserts speed: {@code run-all.sh} turns the results into ratios.
 */
@NullMarked
package dev.ioloop.benchmarks;

import org.jspecify.annotations.NullMarked;
