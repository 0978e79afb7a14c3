/** Test helpers: Redis transcripts, a fake store clock, a fixed server description. Single-threaded. */
@NullMarked
package dev.ioloop.sample.testing;

import org.jspecify.annotations.NullMarked;
