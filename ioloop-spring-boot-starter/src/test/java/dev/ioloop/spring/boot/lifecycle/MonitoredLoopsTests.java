package dev.ioloop.spring.boot.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ioloop.IOLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MonitoredLoopsTests {

    private final List<IOLoop> created = new CopyOnWriteArrayList<>();

    private final MonitoredLoops loops = new MonitoredLoops();

    @AfterEach
    void closeLoops() {
        this.created.forEach(IOLoop::close);
    }

    @Test
    void subscriberSeesEveryLoopAlreadyRegisteredThenEveryChangeInOrder() {
        ManagedLoop main = managed("main");
        ManagedLoop attached = managed("reactor-http-epoll-1");
        this.loops.register(main);
        Recorder recorder = new Recorder();
        this.loops.subscribe(recorder);
        this.loops.register(attached);
        assertThat(this.loops.unregister(attached)).isTrue();
        assertThat(this.loops.unregister(attached)).isFalse();
        assertThat(recorder.events).containsExactly("+main", "+reactor-http-epoll-1", "-reactor-http-epoll-1");
        assertThat(this.loops.loops()).containsExactly(main);
        assertThat(this.loops.find("main")).isSameAs(main);
        assertThat(this.loops.find("reactor-http-epoll-1")).isNull();
    }

    @Test
    void rejectsASecondLoopOfTheSameNameKeepingTheFirst() {
        ManagedLoop first = managed("main");
        this.loops.register(first);
        assertThatIllegalArgumentException().isThrownBy(() -> this.loops.register(managed("main")))
            .withMessage("A loop named 'main' is monitored already: give each loop its own name (meters, health "
                    + "components and the endpoint are keyed by it)");
        assertThat(this.loops.loops()).containsExactly(first);
    }

    @Test
    void unsubscribedListenerHearsNothingMore() {
        Recorder recorder = new Recorder();
        this.loops.subscribe(recorder);
        this.loops.register(managed("one"));
        this.loops.unsubscribe(recorder);
        this.loops.register(managed("two"));
        assertThat(recorder.events).containsExactly("+one");
    }

    private ManagedLoop managed(String name) {
        IOLoop loop = IOLoop.builder().name(name).makeCurrent(false).build();
        this.created.add(loop);
        return new ManagedLoop(loop, new ManagedLoop.Monitoring(Duration.ofMillis(100), Duration.ZERO, 0),
                () -> IOLoopLifecycle.State.RUNNING);
    }

    /** Records what it is told, as "+name" and "-name". */
    static final class Recorder implements MonitoredLoops.Listener {

        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void added(ManagedLoop loop) {
            this.events.add("+" + loop.name());
        }

        @Override
        public void removed(ManagedLoop loop) {
            this.events.add("-" + loop.name());
        }
    }
}
