package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.StoreStats;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * INFO [section ...]: the server, clients, memory, stats, cpu and keyspace sections in Redis's format ({@code # Name}
 * headers, {@code field:value} lines, CRLF, a blank line between sections). {@code redis_version} claims 7.0.15,
 * the protocol level this server speaks, so that clients that check it are content; {@code ioloop_version} says
 * what it really is.
 */
final class Info implements Command {

    private static final List<String> DEFAULT = List.of("server", "clients", "memory", "stats", "cpu", "keyspace");

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        Set<String> sections = new LinkedHashSet<>();
        if (args.size() == 1) {
            sections.addAll(DEFAULT);
        }
        for (int i = 1; i < args.size(); i++) {
            String s = Args.lower(args.get(i));
            if (s.equals("all") || s.equals("default") || s.equals("everything")) {
                sections.addAll(DEFAULT);
            } else {
                sections.add(s);
            }
        }
        StringBuilder out = new StringBuilder(1024);
        for (String section : DEFAULT) {
            if (sections.contains(section)) {
                if (out.length() > 0) {
                    out.append("\r\n");
                }
                appendSection(section, out, ctx);
            }
        }
        return RespFrame.bulk(out.toString());
    }

    private static void appendSection(String section, StringBuilder out, CommandContext ctx) {
        ServerInfo server = ctx.server();
        switch (section) {
            case "server":
                out.append("# Server\r\n");
                line(out, "redis_version", ServerInfo.REDIS_VERSION);
                line(out, "ioloop_version", "0.1.0-SNAPSHOT");
                line(out, "redis_mode", "standalone");
                line(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
                line(out, "arch_bits", System.getProperty("sun.arch.data.model", "64"));
                line(out, "multiplexing_api", "java.nio");
                line(out, "java_version", System.getProperty("java.version"));
                line(out, "process_id", ProcessHandle.current().pid());
                line(out, "data_thread", server.dataThreadName());
                line(out, "tcp_port", server.port());
                line(out, "uptime_in_seconds", server.uptimeSeconds());
                line(out, "uptime_in_days", server.uptimeSeconds() / 86400);
                line(out, "hz", server.hz());
                break;
            case "clients":
                out.append("# Clients\r\n");
                line(out, "connected_clients", server.connectedClients());
                line(out, "maxclients", server.maxClients());
                line(out, "blocked_clients", ctx.shared().blocked().count());
                break;
            case "memory": {
                // used_memory is what maxmemory limits: the keyspace, as the store estimates it (keys, values and
                // their Java objects); the JVM's heap figures follow.
                Runtime rt = Runtime.getRuntime();
                long used = ctx.store().usedMemory();
                long maxmemory = ctx.store().maxmemory();
                out.append("# Memory\r\n");
                line(out, "used_memory", used);
                line(out, "used_memory_human", human(used));
                line(out, "used_memory_dataset", used);
                line(out, "maxmemory", maxmemory);
                line(out, "maxmemory_human", human(maxmemory));
                line(out, "maxmemory_policy", server.maxmemoryPolicy());
                line(out, "mem_allocator", "jvm");
                line(out, "jvm_heap_used", rt.totalMemory() - rt.freeMemory());
                line(out, "jvm_heap_committed", rt.totalMemory());
                line(out, "jvm_heap_max", rt.maxMemory());
                break;
            }
            case "stats": {
                StoreStats stats = ctx.store().currentStats();
                out.append("# Stats\r\n");
                line(out, "total_connections_received", server.totalConnectionsReceived());
                line(out, "total_commands_processed", server.totalCommandsProcessed());
                line(out, "total_net_input_bytes", server.netInputBytes());
                line(out, "total_net_output_bytes", server.netOutputBytes());
                line(out, "rejected_connections", server.rejectedConnections());
                line(out, "expired_keys", stats.expiredKeys());
                line(out, "evicted_keys", 0);
                line(out, "keyspace_hits", stats.keyspaceHits());
                line(out, "keyspace_misses", stats.keyspaceMisses());
                line(out, "client_output_buffer_limit_disconnections", server.outputLimitCloses());
                line(out, "pubsub_channels", ctx.shared().pubsub().channelCount());
                line(out, "pubsub_patterns", ctx.shared().pubsub().patternCount());
                break;
            }
            case "cpu": {
                CpuTimes cpu = CpuTimes.now(); // commands run on the data loop: its thread is the "main thread"
                out.append("# CPU\r\n");
                line(out, "used_cpu_sys", CpuTimes.seconds(cpu.processSystemNanos()));
                line(out, "used_cpu_user", CpuTimes.seconds(cpu.processUserNanos()));
                line(out, "used_cpu_sys_children", "0.000000");
                line(out, "used_cpu_user_children", "0.000000");
                line(out, "used_cpu_sys_main_thread", CpuTimes.seconds(cpu.threadSystemNanos()));
                line(out, "used_cpu_user_main_thread", CpuTimes.seconds(cpu.threadUserNanos()));
                break;
            }
            case "keyspace": {
                StoreStats stats = ctx.store().currentStats();
                out.append("# Keyspace\r\n");
                if (stats.keys() > 0) {
                    out.append("db0:keys=").append(stats.keys()).append(",expires=").append(stats.expires())
                            .append(",avg_ttl=0\r\n");
                }
                break;
            }
            default:
                throw new IllegalStateException("no such section: " + section);
        }
    }

    private static void line(StringBuilder out, String key, Object value) {
        out.append(key).append(':').append(value).append("\r\n");
    }

    private static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + "B"; // Redis prints 0B for maxmemory 0 (no limit) too
        }
        double v = bytes;
        String[] units = {"K", "M", "G", "T"};
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.2f%s", v, units[i]);
    }
}
