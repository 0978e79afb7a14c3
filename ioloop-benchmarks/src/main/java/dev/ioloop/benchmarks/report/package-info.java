/**
 * Turns one run's raw results (JMH CSV, the B5 latency TSV, the load run's TSVs) into the ratio
 * table: Markdown for people, {@code ratios.tsv} for machines. Single-threaded, file in, file out.
 */
@NullMarked
package dev.ioloop.benchmarks.report;

import org.jspecify.annotations.NullMarked;
