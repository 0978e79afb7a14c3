package dev.ioloop.sample.store;

/**
 * What one active-expiry run did.
 *
 * @param sampled keys with an expiry time that were looked at (with repetition)
 * @param expired keys removed
 * @param budgetExhausted whether the run stopped because its time budget ran out (rather than because few sampled
 *     keys were expired)
 * @param elapsedNanos time spent, on the store's clock
 */
public record ExpiryCycle(int sampled, int expired, boolean budgetExhausted, long elapsedNanos) {
}
