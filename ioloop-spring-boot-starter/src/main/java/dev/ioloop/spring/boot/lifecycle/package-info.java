/**
 * Runs the managed loops: {@link dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle} starts the main loop and the
 * group on their threads and stops them after the web server; {@link dev.ioloop.spring.boot.lifecycle.ManagedLoop}
 * keeps each loop's lag probe and blocked-loop reports; {@link dev.ioloop.spring.boot.lifecycle.MonitoredLoops} lists
 * every monitored loop (the starter's own and attached ones) for the meters, health and the endpoint. Threading: lifecycle calls come from Spring one at a time;
 * the rest is safe from any thread.
 */
@NullMarked
package dev.ioloop.spring.boot.lifecycle;

import org.jspecify.annotations.NullMarked;
