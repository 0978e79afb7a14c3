/**
 * Auto-configuration of the monitoring of Netty event loops the starter does not run (Reactor Netty's, the
 * application's {@code EventLoopGroup} beans). Threading: configuration only; see the feature package.
 */
@NullMarked
package dev.ioloop.spring.boot.autoconfigure.netty;

import org.jspecify.annotations.NullMarked;
