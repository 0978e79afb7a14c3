package dev.ioloop;

/**
 * What a loop thread is doing now: its thread, the number of its current iteration, and how long that
 * iteration has been running. Made by {@link IterationStamps#probe}; read by the watchdog and stats().
 *
 * @param thread the loop thread
 * @param iteration the iteration's number
 * @param blockedNanos how long it has been running, never more than the truth
 */
record IterationProbe(Thread thread, long iteration, long blockedNanos) {
}
