package dev.ioloop.netty;

import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty tasks of an {@link OwnedEventLoop} ({@code execute}, channel writes from other threads,
 * listener notifications): a lock-free multi-producer queue, run by the loop thread after each wait.
 * A run takes the due scheduled tasks, then exactly the tasks queued when it began, so a task that
 * re-submits itself waits for the next wait and cannot starve the IOLoop's callbacks and I/O.
 *
 * <p>A task's exception is logged at ERROR with the loop's name and the loop goes on (Netty logs a
 * failed task at WARN; here it is a bug on the loop thread, as a failed callback is);
 * {@link VirtualMachineError}s other than {@link StackOverflowError} propagate after being logged.
 *
 * <p>{@link #add} and {@link #isEmpty()} are safe from any thread; the rest is loop thread only.
 */
final class NettyTasks {

    private static final Logger logger = LoggerFactory.getLogger(NettyBackend.class);
    private static final int CHUNK_SIZE = 1024;
    /** How many rounds {@link #drain} runs while tasks keep adding tasks at shutdown. */
    private static final int DRAIN_ROUNDS = 1024;

    private final String loopName;
    private final MpscUnboundedXaddArrayQueue<Runnable> queue = new MpscUnboundedXaddArrayQueue<>(CHUNK_SIZE);

    NettyTasks(String loopName) {
        this.loopName = loopName;
    }

    /** Safe from any thread. */
    void add(Runnable task) {
        // ordering: the offer is a full-fence atomic; the caller wakes the handler after it, and the
        // loop's canBlock() reads the queue before blocking.
        queue.offer(task);
    }

    /** Safe from any thread: whether no task waits (racy by nature; exact on the loop thread's side). */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * Loop thread only: runs the due scheduled tasks and the tasks queued now.
     *
     * @return how many ran
     */
    int runQueued(OwnedEventLoop eventLoop) {
        int ran = 0;
        Runnable task;
        while ((task = eventLoop.pollDueScheduledTask()) != null) {
            ran++;
            run(task);
        }
        if (queue.isEmpty()) {
            return ran; // the common case of an iteration: two volatile reads
        }
        for (int batch = queue.size(); batch > 0; batch--) {
            task = queue.relaxedPoll();
            if (task == null) {
                break; // its producer is mid-offer: it runs after the next wait
            }
            ran++;
            run(task);
        }
        return ran;
    }

    /** The closing thread, while the event loop shuts down: runs tasks until none is left. */
    void drain(OwnedEventLoop eventLoop) {
        for (int round = 0; round < DRAIN_ROUNDS; round++) {
            if (runQueued(eventLoop) == 0 && queue.isEmpty()) {
                return;
            }
        }
        logger.warn("IOLoop '{}': Netty tasks kept adding tasks while its event loop shut down; {} dropped",
                loopName, queue.size());
        queue.clear();
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            logger.error("Exception in Netty task {} on IOLoop '{}'", task, loopName, t);
            if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
                throw (VirtualMachineError) t;
            }
        }
    }
}
