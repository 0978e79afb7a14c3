/**
 * Monitoring of Netty event loops the starter does not run: {@link dev.ioloop.spring.boot.netty.EventLoopMonitor}
 * attaches an IOLoop ({@code NettyBackend.attach}) to each event loop its
 * {@link dev.ioloop.spring.boot.netty.EventLoopSource}s name (Reactor Netty's through
 * {@link dev.ioloop.spring.boot.netty.ReactorNettyEventLoops}, the application's {@code EventLoopGroup} beans) and
 * gives it the monitoring of the starter's own loops. Threading: lifecycle calls come from Spring one at a time; the
 * attached loops' work runs on the event loops' threads.
 */
@NullMarked
package dev.ioloop.spring.boot.netty;

import org.jspecify.annotations.NullMarked;
