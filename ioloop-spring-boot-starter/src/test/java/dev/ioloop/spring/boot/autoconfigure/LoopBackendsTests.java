package dev.ioloop.spring.boot.autoconfigure;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopGroup;
import dev.ioloop.netty.NettyBackend;
import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ioloop.backend}: which backend the starter's own loops (main and group) are built on. */
@ExtendWith(OutputCaptureExtension.class)
class LoopBackendsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IOLoopAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
        .withPropertyValues("ioloop.group.enabled=true", "ioloop.group.threads=1");

    @Test
    void nettyRunsTheMainLoopAndTheGroupOnNettyEventLoopsThatNettyChannelsCanShare(CapturedOutput output) {
        this.runner.withPropertyValues("ioloop.backend=netty").run((context) -> {
            assertThat(context).hasNotFailed();
            IOLoop main = context.getBean(IOLoop.class);
            IOLoop groupLoop = context.getBean(IOLoopGroup.class).loops().get(0);
            assertThat(main.stats().backend()).isEqualTo("netty-nio");
            assertThat(groupLoop.stats().backend()).isEqualTo("netty-nio");
            // A Netty server channel on the main loop's event loop: bound and served on thread ioloop-main.
            CompletableFuture<String> registeredOn = new CompletableFuture<>();
            Channel server = new ServerBootstrap().group(NettyBackend.eventLoop(main))
                .channel(NioServerSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        registeredOn.complete(Thread.currentThread().getName());
                    }
                })
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            assertThat(registeredOn.get(30, TimeUnit.SECONDS)).isEqualTo(IOLoopLifecycle.MAIN_THREAD_NAME);
            server.close().sync();
        });
        assertThat(output).contains("Started 2 IOLoops (netty-nio backend)");
    }

    @Test
    void nettyIoUringWithoutNettysIoUringClassesFailsStartupNamingTheKeyAndTheFix() {
        this.runner.withClassLoader(new FilteredClassLoader("io.netty.channel.uring"))
                .withPropertyValues("ioloop.backend=netty-io-uring").run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("'ioloop.backend' is netty-io-uring")
                            .hasMessageContaining("netty-transport-native-io_uring");
                });
    }

    @Test
    void selectorIsTheSelectorEvenWhenIOLoopConfigureChoseAnother() {
        IOLoop.configure(NettyBackend.factory());
        try {
            this.runner.withPropertyValues("ioloop.backend=selector").run((context) -> {
                assertThat(context.getBean(IOLoop.class).stats().backend()).isEqualTo("selector");
                assertThat(context.getBean(IOLoopGroup.class).loops().get(0).stats().backend()).isEqualTo("selector");
            });
        }
        finally {
            IOLoop.configure(null);
        }
    }

    @Test
    void unsetIsTheBackendIOLoopConfigureChose() {
        this.runner.run((context) -> assertThat(context.getBean(IOLoop.class).stats().backend()).isEqualTo("selector"));
        IOLoop.configure(NettyBackend.factory());
        try {
            this.runner.run((context) -> {
                assertThat(context.getBean(IOLoop.class).stats().backend()).isEqualTo("netty-nio");
                assertThat(context.getBean(IOLoopGroup.class).loops().get(0).stats().backend()).isEqualTo("netty-nio");
            });
        }
        finally {
            IOLoop.configure(null);
        }
    }

    @Test
    void nettyWithoutIoloopNettyOnTheClasspathFailsStartupNamingTheKeyAndTheFix() {
        this.runner.withClassLoader(new FilteredClassLoader(NettyBackend.class))
            .withPropertyValues("ioloop.backend=netty")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalStateException.class)
                    .hasMessage("'ioloop.backend' is netty, but dev.ioloop.netty.NettyBackend is not on the classpath:"
                            + " add the dependency dev.ioloop:ioloop-netty, or set ioloop.backend=selector");
            });
    }

    @Test
    void anUnknownBackendFailsStartupNamingTheKey() {
        this.runner.withPropertyValues("ioloop.backend=epoll").run((context) -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            while (failure != null && !(failure instanceof BindException)) {
                failure = failure.getCause();
            }
            assertThat(failure).isInstanceOf(BindException.class).hasMessageContaining("'ioloop.backend'");
            assertThat(((BindException) failure).getProperty().getValue()).isEqualTo("epoll");
        });
    }
}
