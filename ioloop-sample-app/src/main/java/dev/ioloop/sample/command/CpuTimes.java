package dev.ioloop.sample.command;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used, for INFO's {@code cpu} section: the process's system and user time, and the calling thread's (the
 * data loop's, where commands run: Redis's "main thread").
 *
 * <p>The process's split comes from {@code /proc/self/stat} (Linux; its clock ticks are {@code USER_HZ}, 100 per
 * second, on every Linux ABI). Elsewhere the JVM's total process CPU time is reported as user time and system time as
 * 0. The thread's comes from {@link ThreadMXBean} (CPU minus user is system time); 0 where the JVM does not measure
 * thread CPU time.
 *
 * @param processSystemNanos the process's CPU time in the kernel, in nanoseconds
 * @param processUserNanos the process's CPU time in user space, in nanoseconds
 * @param threadSystemNanos the calling thread's CPU time in the kernel, in nanoseconds
 * @param threadUserNanos the calling thread's CPU time in user space, in nanoseconds
 */
record CpuTimes(long processSystemNanos, long processUserNanos, long threadSystemNanos, long threadUserNanos) {

    private static final Path PROC_SELF_STAT = Path.of("/proc/self/stat");
    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;

    /** Reads the times now, for the calling thread. Safe from any thread. */
    static CpuTimes now() {
        long[] process = processTimes();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long threadCpu = 0;
        long threadUser = 0;
        if (threads.isCurrentThreadCpuTimeSupported()) {
            threadCpu = Math.max(0, threads.getCurrentThreadCpuTime());
            threadUser = Math.max(0, threads.getCurrentThreadUserTime());
        }
        return new CpuTimes(process[0], process[1], Math.max(0, threadCpu - threadUser), threadUser);
    }

    /** {system, user} nanoseconds of this process. */
    private static long[] processTimes() {
        try {
            String stat = Files.readString(PROC_SELF_STAT);
            // fields after the command name, which is in parentheses and may contain spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are the 14th and 15th fields of the line, the 12th and 13th after the name
            return new long[] {Long.parseLong(fields[12]) * NANOS_PER_TICK, Long.parseLong(fields[11]) * NANOS_PER_TICK};
        } catch (IOException | RuntimeException notLinux) {
            java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            long total = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
            return new long[] {0, Math.max(0, total)};
        }
    }

    /** Seconds with six decimals, as Redis prints them ({@code %ld.%06ld}). */
    static String seconds(long nanos) {
        long micros = nanos / 1_000;
        return (micros / 1_000_000) + "." + String.format(java.util.Locale.ROOT, "%06d", micros % 1_000_000);
    }
}
