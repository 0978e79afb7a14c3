package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RequestArgs;
import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.WrongTypeException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The command dispatcher: finds a command by name (case-insensitive), checks arity and authentication with Redis's
 * error replies, runs it, and turns {@link CommandException} and {@link WrongTypeException} into error replies.
 * The connection stays open on every error here.
 *
 * <pre>{@code
 * CommandTable table = CommandTable.standard();
 * RespFrame reply = table.dispatch(List.of("GET".getBytes(), "k".getBytes()), ctx);
 * }</pre>
 *
 * <p>Immutable once built; dispatch runs on the data loop's thread.
 */
public final class CommandTable {

    private final Map<String, CommandSpec> commands;
    // The lookup dispatch uses: open addressing over the lower-case names' bytes, hashed as the bytes arrive (A-Z
    // folded), so finding a command builds no String. At most a quarter full, so a miss ends after a probe or two.
    private final byte[][] slotNames;
    private final CommandSpec[] slotSpecs;
    /** Whether the command in a slot may add data (Redis's "denyoom" flag): refused while over maxmemory. */
    private final boolean[] slotDenyOom;
    /** Whether the command in a slot runs at once inside MULTI instead of being queued (EXEC, DISCARD, ...). */
    private final boolean[] slotRunsInMulti;
    private final int slotMask;

    private CommandTable(Map<String, CommandSpec> commands) {
        this.commands = Collections.unmodifiableMap(new LinkedHashMap<>(commands));
        int size = Integer.highestOneBit(Math.max(4, commands.size()) * 4 - 1) << 1;
        this.slotNames = new byte[size][];
        this.slotSpecs = new CommandSpec[size];
        this.slotDenyOom = new boolean[size];
        this.slotRunsInMulti = new boolean[size];
        this.slotMask = size - 1;
        for (CommandSpec spec : commands.values()) {
            byte[] name = spec.name().getBytes(StandardCharsets.US_ASCII);
            int i = foldedHash(name, 0, name.length) & slotMask;
            while (slotNames[i] != null) {
                i = (i + 1) & slotMask;
            }
            slotNames[i] = name;
            slotSpecs[i] = spec;
            slotDenyOom[i] = spec.flags().contains("denyoom");
            slotRunsInMulti[i] = Transactions.RUN_IN_MULTI.contains(spec.name());
        }
    }

    /** Returns the table of every command this server implements. */
    public static CommandTable standard() {
        Map<String, CommandSpec> m = new LinkedHashMap<>();
        CommandTable[] self = new CommandTable[1];
        // connection
        add(m, "ping", -1, 0, 0, 0, false, new Ping(), "fast");
        add(m, "echo", 2, 0, 0, 0, false, new Echo(), "fast");
        add(m, "quit", -1, 0, 0, 0, true, new Quit(), "fast", "no-auth");
        add(m, "auth", -2, 0, 0, 0, true, new Auth(), "fast", "no-auth");
        add(m, "select", 2, 0, 0, 0, false, new Select(), "fast");
        add(m, "client", -2, 0, 0, 0, false, new Client(), "admin");
        add(m, "hello", -1, 0, 0, 0, true, new Hello(), "noscript", "loading", "stale", "fast", "no-auth", "allow-busy");
        // pub/sub
        add(m, "subscribe", -2, 0, 0, 0, false, PubSubCommands::subscribe, "pubsub", "noscript", "loading", "stale");
        add(m, "unsubscribe", -1, 0, 0, 0, false, PubSubCommands::unsubscribe, "pubsub", "noscript", "loading", "stale");
        add(m, "psubscribe", -2, 0, 0, 0, false, PubSubCommands::psubscribe, "pubsub", "noscript", "loading", "stale");
        add(m, "punsubscribe", -1, 0, 0, 0, false, PubSubCommands::punsubscribe, "pubsub", "noscript", "loading", "stale");
        add(m, "publish", 3, 0, 0, 0, false, PubSubCommands::publish, "pubsub", "loading", "stale", "fast", "may_replicate");
        add(m, "pubsub", -2, 0, 0, 0, false, PubSubCommands::pubsub, "pubsub", "loading", "stale");
        // transactions
        add(m, "multi", 1, 0, 0, 0, false, Transactions::multi, "noscript", "loading", "stale", "fast", "allow_busy");
        add(m, "exec", 1, 0, 0, 0, false, Transactions::exec, "noscript", "loading", "stale", "skip_slowlog");
        add(m, "discard", 1, 0, 0, 0, false, Transactions::discard, "noscript", "loading", "stale", "fast", "allow_busy");
        add(m, "watch", -2, 1, -1, 1, false, Transactions::watch, "noscript", "loading", "stale", "fast", "allow_busy");
        add(m, "unwatch", 1, 0, 0, 0, false, Transactions::unwatch, "noscript", "loading", "stale", "fast", "allow_busy");
        add(m, "command", -1, 0, 0, 0, false, (args, ctx) -> new CommandIntrospection(self[0]).execute(args, ctx), "loading", "stale");
        // server
        add(m, "info", -1, 0, 0, 0, false, new Info(), "loading", "stale");
        add(m, "dbsize", 1, 0, 0, 0, false, new DbSize(), "readonly", "fast");
        add(m, "flushdb", -1, 0, 0, 0, false, new Flush(), "write");
        add(m, "flushall", -1, 0, 0, 0, false, new Flush(), "write");
        add(m, "config", -2, 0, 0, 0, false, new Config(), "admin", "noscript", "loading", "stale");
        add(m, "object", -2, 0, 0, 0, false, KeyIntrospection::object, "readonly");
        add(m, "memory", -2, 0, 0, 0, false, KeyIntrospection::memory, "readonly");
        add(m, "time", 1, 0, 0, 0, false, new Time(), "loading", "stale", "fast");
        // strings
        add(m, "get", 2, 1, 1, 1, false, new Get(), "readonly", "fast");
        add(m, "set", -3, 1, 1, 1, false, new Set(), "write", "denyoom");
        add(m, "getset", 3, 1, 1, 1, false, new GetSet(), "write", "denyoom", "fast");
        add(m, "mget", -2, 1, -1, 1, false, new MGet(), "readonly", "fast");
        add(m, "mset", -3, 1, -1, 2, false, new MSet(), "write", "denyoom");
        add(m, "setnx", 3, 1, 1, 1, false, new SetNx(), "write", "denyoom", "fast");
        add(m, "setex", 4, 1, 1, 1, false, new SetEx(1000), "write", "denyoom");
        add(m, "psetex", 4, 1, 1, 1, false, new SetEx(1), "write", "denyoom");
        add(m, "append", 3, 1, 1, 1, false, new Append(), "write", "denyoom", "fast");
        add(m, "strlen", 2, 1, 1, 1, false, new StrLen(), "readonly", "fast");
        add(m, "incr", 2, 1, 1, 1, false, new IncrBy(IncrBy.Form.INCR), "write", "denyoom", "fast");
        add(m, "incrby", 3, 1, 1, 1, false, new IncrBy(IncrBy.Form.INCRBY), "write", "denyoom", "fast");
        add(m, "decr", 2, 1, 1, 1, false, new IncrBy(IncrBy.Form.DECR), "write", "denyoom", "fast");
        add(m, "decrby", 3, 1, 1, 1, false, new IncrBy(IncrBy.Form.DECRBY), "write", "denyoom", "fast");
        add(m, "incrbyfloat", 3, 1, 1, 1, false, new IncrByFloat(), "write", "denyoom", "fast");
        add(m, "getex", -2, 1, 1, 1, false, new GetEx(), "write", "fast");
        add(m, "getdel", 2, 1, 1, 1, false, new GetDel(), "write", "fast");
        add(m, "setrange", 4, 1, 1, 1, false, new SetRange(), "write", "denyoom");
        add(m, "getrange", 4, 1, 1, 1, false, new GetRange(), "readonly");
        add(m, "setbit", 4, 1, 1, 1, false, new Bits(Bits.Form.SETBIT), "write", "denyoom");
        add(m, "getbit", 3, 1, 1, 1, false, new Bits(Bits.Form.GETBIT), "readonly", "fast");
        add(m, "bitcount", -2, 1, 1, 1, false, new Bits(Bits.Form.BITCOUNT), "readonly");
        add(m, "lcs", -3, 1, 2, 1, false, new Lcs(), "readonly");
        add(m, "msetnx", -3, 1, -1, 2, false, new MSetNx(), "write", "denyoom");
        // keyspace
        add(m, "del", -2, 1, -1, 1, false, new Del(), "write");
        add(m, "unlink", -2, 1, -1, 1, false, new Del(), "write", "fast");
        add(m, "exists", -2, 1, -1, 1, false, new Exists(), "readonly", "fast");
        add(m, "expire", -3, 1, 1, 1, false, new Expire(1000), "write", "fast");
        add(m, "pexpire", -3, 1, 1, 1, false, new Expire(1), "write", "fast");
        add(m, "ttl", 2, 1, 1, 1, false, new Ttl(1000), "readonly", "fast");
        add(m, "pttl", 2, 1, 1, 1, false, new Ttl(1), "readonly", "fast");
        add(m, "persist", 2, 1, 1, 1, false, new Persist(), "write", "fast");
        add(m, "type", 2, 1, 1, 1, false, new Type(), "readonly", "fast");
        add(m, "keys", 2, 0, 0, 0, false, new Keys(), "readonly");
        add(m, "scan", -2, 0, 0, 0, false, new Scan(), "readonly");
        add(m, "rename", 3, 1, 2, 1, false, new Rename(), "write");
        add(m, "renamenx", 3, 1, 2, 1, false, new Rename(true), "write", "fast");
        add(m, "copy", -3, 1, 2, 1, false, new Copy(), "write", "denyoom");
        add(m, "randomkey", 1, 0, 0, 0, false, new RandomKey(), "readonly");
        add(m, "expireat", -3, 1, 1, 1, false, new Expire(1000, true), "write", "fast");
        add(m, "pexpireat", -3, 1, 1, 1, false, new Expire(1, true), "write", "fast");
        add(m, "expiretime", 2, 1, 1, 1, false, new Ttl(1000, true), "readonly", "fast");
        add(m, "pexpiretime", 2, 1, 1, 1, false, new Ttl(1, true), "readonly", "fast");
        // lists
        add(m, "lpush", -3, 1, 1, 1, false, new Push(true), "write", "denyoom", "fast");
        add(m, "rpush", -3, 1, 1, 1, false, new Push(false), "write", "denyoom", "fast");
        add(m, "lpop", -2, 1, 1, 1, false, new Pop(true), "write", "fast");
        add(m, "rpop", -2, 1, 1, 1, false, new Pop(false), "write", "fast");
        add(m, "lrange", 4, 1, 1, 1, false, new LRange(), "readonly");
        add(m, "llen", 2, 1, 1, 1, false, new LLen(), "readonly", "fast");
        add(m, "lpushx", -3, 1, 1, 1, false, new Push(true, true), "write", "denyoom", "fast");
        add(m, "rpushx", -3, 1, 1, 1, false, new Push(false, true), "write", "denyoom", "fast");
        add(m, "lindex", 3, 1, 1, 1, false, new ListEdit(ListEdit.Form.LINDEX), "readonly");
        add(m, "lset", 4, 1, 1, 1, false, new ListEdit(ListEdit.Form.LSET), "write", "denyoom");
        add(m, "linsert", 5, 1, 1, 1, false, new ListEdit(ListEdit.Form.LINSERT), "write", "denyoom");
        add(m, "lrem", 4, 1, 1, 1, false, new ListEdit(ListEdit.Form.LREM), "write");
        add(m, "ltrim", 4, 1, 1, 1, false, new ListEdit(ListEdit.Form.LTRIM), "write");
        add(m, "lpos", -3, 1, 1, 1, false, new LPos(), "readonly");
        add(m, "lmpop", -4, 0, 0, 0, false, new LMPop(), "write", "movablekeys");
        add(m, "lmove", 5, 1, 2, 1, false, ListMove::lmove, "write", "denyoom");
        add(m, "rpoplpush", 3, 1, 2, 1, false, ListMove::rpoplpush, "write", "denyoom");
        // blocking
        add(m, "blpop", -3, 1, -2, 1, false, BlockingPops::blpop, "write", "noscript", "blocking");
        add(m, "brpop", -3, 1, -2, 1, false, BlockingPops::brpop, "write", "noscript", "blocking");
        add(m, "blmove", 6, 1, 2, 1, false, BlockingPops::blmove, "write", "denyoom", "noscript", "blocking");
        add(m, "brpoplpush", 4, 1, 2, 1, false, BlockingPops::brpoplpush, "write", "denyoom", "noscript", "blocking");
        add(m, "blmpop", -5, 0, 0, 0, false, BlockingPops::blmpop, "write", "blocking", "movablekeys");
        add(m, "bzpopmin", -3, 1, -2, 1, false, BlockingPops::bzpopmin, "write", "noscript", "blocking", "fast");
        add(m, "bzpopmax", -3, 1, -2, 1, false, BlockingPops::bzpopmax, "write", "noscript", "blocking", "fast");
        // sets
        add(m, "sadd", -3, 1, 1, 1, false, new SetWrite(true), "write", "denyoom", "fast");
        add(m, "srem", -3, 1, 1, 1, false, new SetWrite(false), "write", "fast");
        add(m, "spop", -2, 1, 1, 1, false, new SPop(), "write", "random", "fast");
        add(m, "scard", 2, 1, 1, 1, false, new SetRead(SetRead.Form.SCARD), "readonly", "fast");
        add(m, "smembers", 2, 1, 1, 1, false, new SetRead(SetRead.Form.SMEMBERS), "readonly");
        add(m, "sismember", 3, 1, 1, 1, false, new SetRead(SetRead.Form.SISMEMBER), "readonly", "fast");
        add(m, "smove", 4, 1, 2, 1, false, new SetMore(SetMore.Form.SMOVE), "write", "fast");
        add(m, "smismember", -3, 1, 1, 1, false, new SetMore(SetMore.Form.SMISMEMBER), "readonly", "fast");
        add(m, "srandmember", -2, 1, 1, 1, false, new SetMore(SetMore.Form.SRANDMEMBER), "readonly");
        add(m, "sscan", -3, 1, 1, 1, false, new SetMore(SetMore.Form.SSCAN), "readonly");
        add(m, "sinter", -2, 1, -1, 1, false, new SetAlgebra(SetAlgebra.Form.SINTER), "readonly");
        add(m, "sunion", -2, 1, -1, 1, false, new SetAlgebra(SetAlgebra.Form.SUNION), "readonly");
        add(m, "sdiff", -2, 1, -1, 1, false, new SetAlgebra(SetAlgebra.Form.SDIFF), "readonly");
        add(m, "sinterstore", -3, 1, -1, 1, false, new SetAlgebra(SetAlgebra.Form.SINTERSTORE), "write", "denyoom");
        add(m, "sunionstore", -3, 1, -1, 1, false, new SetAlgebra(SetAlgebra.Form.SUNIONSTORE), "write", "denyoom");
        add(m, "sdiffstore", -3, 1, -1, 1, false, new SetAlgebra(SetAlgebra.Form.SDIFFSTORE), "write", "denyoom");
        add(m, "sintercard", -3, 0, 0, 0, false, new SetAlgebra(SetAlgebra.Form.SINTERCARD), "readonly", "movablekeys");
        // hashes
        add(m, "hset", -4, 1, 1, 1, false, new HSet(), "write", "denyoom", "fast");
        add(m, "hget", 3, 1, 1, 1, false, new HashRead(HashRead.Form.HGET), "readonly", "fast");
        add(m, "hdel", -3, 1, 1, 1, false, new HDel(), "write", "fast");
        add(m, "hlen", 2, 1, 1, 1, false, new HashRead(HashRead.Form.HLEN), "readonly", "fast");
        add(m, "hgetall", 2, 1, 1, 1, false, new HashRead(HashRead.Form.HGETALL), "readonly");
        add(m, "hexists", 3, 1, 1, 1, false, new HashRead(HashRead.Form.HEXISTS), "readonly", "fast");
        add(m, "hmset", -4, 1, 1, 1, false, new HSet(true), "write", "denyoom", "fast");
        add(m, "hsetnx", 4, 1, 1, 1, false, new HSetNx(), "write", "denyoom", "fast");
        add(m, "hincrby", 4, 1, 1, 1, false, new HIncrBy(false), "write", "denyoom", "fast");
        add(m, "hincrbyfloat", 4, 1, 1, 1, false, new HIncrBy(true), "write", "denyoom", "fast");
        add(m, "hrandfield", -2, 1, 1, 1, false, new HRandField(), "readonly");
        add(m, "hscan", -3, 1, 1, 1, false, new HScan(), "readonly");
        add(m, "hkeys", 2, 1, 1, 1, false, new HashRead(HashRead.Form.HKEYS), "readonly");
        add(m, "hvals", 2, 1, 1, 1, false, new HashRead(HashRead.Form.HVALS), "readonly");
        add(m, "hmget", -3, 1, 1, 1, false, new HashRead(HashRead.Form.HMGET), "readonly", "fast");
        add(m, "hstrlen", 3, 1, 1, 1, false, new HashRead(HashRead.Form.HSTRLEN), "readonly", "fast");
        // sorted sets
        add(m, "zadd", -4, 1, 1, 1, false, new ZAdd(), "write", "denyoom", "fast");
        add(m, "zpopmin", -2, 1, 1, 1, false, new ZPopMin(), "write", "fast");
        add(m, "zcard", 2, 1, 1, 1, false, new SortedSetRead(false), "readonly", "fast");
        add(m, "zscore", 3, 1, 1, 1, false, new SortedSetRead(true), "readonly", "fast");
        add(m, "zrange", -4, 1, 1, 1, false, new ZRange(), "readonly");
        add(m, "zrangestore", -5, 1, 2, 1, false, new ZRange(true, ZRange.Type.AUTO, false, false), "write", "denyoom");
        add(m, "zrevrange", -4, 1, 1, 1, false, new ZRange(false, ZRange.Type.RANK, true, true), "readonly");
        add(m, "zrangebyscore", -4, 1, 1, 1, false, new ZRange(false, ZRange.Type.SCORE, true, false), "readonly");
        add(m, "zrevrangebyscore", -4, 1, 1, 1, false, new ZRange(false, ZRange.Type.SCORE, true, true), "readonly");
        add(m, "zrangebylex", -4, 1, 1, 1, false, new ZRange(false, ZRange.Type.LEX, true, false), "readonly");
        add(m, "zrevrangebylex", -4, 1, 1, 1, false, new ZRange(false, ZRange.Type.LEX, true, true), "readonly");
        add(m, "zpopmax", -2, 1, 1, 1, false, new ZPopMin(true), "write", "fast");
        add(m, "zrem", -3, 1, 1, 1, false, new SortedSetMore(SortedSetMore.Form.ZREM), "write", "fast");
        add(m, "zincrby", 4, 1, 1, 1, false, new SortedSetMore(SortedSetMore.Form.ZINCRBY), "write", "denyoom", "fast");
        add(m, "zmscore", -3, 1, 1, 1, false, new SortedSetMore(SortedSetMore.Form.ZMSCORE), "readonly", "fast");
        add(m, "zrandmember", -2, 1, 1, 1, false, new SortedSetMore(SortedSetMore.Form.ZRANDMEMBER), "readonly");
        add(m, "zscan", -3, 1, 1, 1, false, new SortedSetMore(SortedSetMore.Form.ZSCAN), "readonly");
        add(m, "zmpop", -4, 0, 0, 0, false, new SortedSetMore(SortedSetMore.Form.ZMPOP), "write", "movablekeys");
        add(m, "zcount", 4, 1, 1, 1, false, new SortedSetMore(SortedSetMore.Form.ZCOUNT), "readonly", "fast");
        add(m, "zlexcount", 4, 1, 1, 1, false, new SortedSetMore(SortedSetMore.Form.ZLEXCOUNT), "readonly", "fast");
        add(m, "zrank", 3, 1, 1, 1, false, new SortedSetMore(SortedSetMore.Form.ZRANK), "readonly", "fast");
        add(m, "zrevrank", 3, 1, 1, 1, false, new SortedSetMore(SortedSetMore.Form.ZREVRANK), "readonly", "fast");
        add(m, "zunion", -3, 0, 0, 0, false, new SortedSetAlgebra(SortedSetAlgebra.Form.ZUNION), "readonly", "movablekeys");
        add(m, "zinter", -3, 0, 0, 0, false, new SortedSetAlgebra(SortedSetAlgebra.Form.ZINTER), "readonly", "movablekeys");
        add(m, "zdiff", -3, 0, 0, 0, false, new SortedSetAlgebra(SortedSetAlgebra.Form.ZDIFF), "readonly", "movablekeys");
        add(m, "zunionstore", -4, 1, 1, 1, false, new SortedSetAlgebra(SortedSetAlgebra.Form.ZUNIONSTORE), "write", "denyoom", "movablekeys");
        add(m, "zinterstore", -4, 1, 1, 1, false, new SortedSetAlgebra(SortedSetAlgebra.Form.ZINTERSTORE), "write", "denyoom", "movablekeys");
        add(m, "zdiffstore", -4, 1, 1, 1, false, new SortedSetAlgebra(SortedSetAlgebra.Form.ZDIFFSTORE), "write", "denyoom", "movablekeys");
        add(m, "zintercard", -3, 0, 0, 0, false, new SortedSetAlgebra(SortedSetAlgebra.Form.ZINTERCARD), "readonly", "movablekeys");
        // streams
        add(m, "xadd", -5, 1, 1, 1, false, new XAdd(), "write", "denyoom", "random", "fast");
        add(m, "xlen", 2, 1, 1, 1, false, new XLen(), "readonly", "fast");
        add(m, "xrange", -4, 1, 1, 1, false, new XRange(false), "readonly");
        add(m, "xrevrange", -4, 1, 1, 1, false, new XRange(true), "readonly");
        add(m, "xdel", -3, 1, 1, 1, false, new XEdit(XEdit.Form.XDEL), "write", "fast");
        add(m, "xtrim", -4, 1, 1, 1, false, new XEdit(XEdit.Form.XTRIM), "write");
        add(m, "xsetid", -3, 1, 1, 1, false, new XEdit(XEdit.Form.XSETID), "write", "denyoom", "fast");
        add(m, "xread", -4, 0, 0, 0, false, new XRead(), "readonly", "blocking", "movablekeys");
        add(m, "xinfo", -2, 0, 0, 0, false, new XInfo());
        CommandTable table = new CommandTable(m);
        self[0] = table;
        return table;
    }

    private static void add(Map<String, CommandSpec> m, String name, int arity, int first, int last, int step,
                            boolean noAuth, Command command, String... flags) {
        m.put(name, new CommandSpec(name, arity, List.of(flags), first, last, step, noAuth, command));
    }

    /**
     * Returns a table with every command of this one plus {@code command}, registered as {@code name} (replacing a
     * command of that name).
     *
     * @param name the lower-case name
     * @param arity the exact argument count including the name when positive, the minimum when negative
     * @param command the implementation
     * @param flags Redis's flag names ({@code "write"}, {@code "denyoom"}, ...)
     * @throws IllegalArgumentException if {@code name} is empty or not lower case
     */
    public CommandTable with(String name, int arity, Command command, String... flags) {
        if (name.isEmpty() || !name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("'name' must be a non-empty lower-case name (was '" + name + "')");
        }
        Map<String, CommandSpec> m = new LinkedHashMap<>(commands);
        add(m, name, arity, 0, 0, 0, false, command, flags);
        CommandSpec introspection = m.get("command");
        if (introspection == null) {
            return new CommandTable(m);
        }
        CommandTable[] self = new CommandTable[1]; // COMMAND describes the new table, not this one
        m.put("command", new CommandSpec(introspection.name(), introspection.arity(), introspection.flags(),
                introspection.firstKey(), introspection.lastKey(), introspection.keyStep(), introspection.noAuth(),
                (args, ctx) -> new CommandIntrospection(self[0]).execute(args, ctx)));
        CommandTable table = new CommandTable(m);
        self[0] = table;
        return table;
    }

    /** Returns the command called {@code lowerName}, or null. */
    public @Nullable CommandSpec lookup(String lowerName) {
        return commands.get(lowerName);
    }

    /** Returns every command, in registration order. */
    public Collection<CommandSpec> all() {
        return commands.values();
    }

    /**
     * Runs one command line and returns its reply. Unknown commands, wrong arity, missing AUTH, argument errors
     * and wrong types become Redis's error replies.
     *
     * @param args the command line; must not be empty; valid only during the call (the connection refills the same
     *     list for its next command, so neither this table nor a command may keep it)
     * @return the reply; ignored when the command left the client {@linkplain CommandContext#blocked() blocked} (its
     *     reply then reaches the connection when the wait ends)
     * @param ctx the connection's context
     * @throws IllegalArgumentException if {@code args} is empty
     */
    public RespFrame dispatch(List<byte[]> args, CommandContext ctx) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("'args' must not be empty");
        }
        int slot = args instanceof RequestArgs ranges // the name as sent, without copying it
                ? find(ranges.source(0), ranges.offset(0), ranges.length(0))
                : find(args.get(0), 0, args.get(0).length);
        String refusal = refusal(slot, args, ctx);
        if (refusal != null) {
            if (slot >= 0 && slotSpecs[slot].name().equals("exec")) {
                return Transactions.abort(ctx, refusal);
            }
            if (ctx.inMulti()) {
                ctx.failQueueing(); // EXEC will answer EXECABORT
            }
            return RespFrame.error(refusal);
        }
        CommandSpec spec = slotSpecs[slot];
        if (ctx.inMulti() && !slotRunsInMulti[slot]) {
            ctx.queue(spec, args);
            return Transactions.QUEUED;
        }
        RespFrame reply = run(spec, args, ctx);
        ctx.shared().blocked().serveReady(); // clients blocked on keys this command (or EXEC) filled
        return reply;
    }

    /** Why the command line may not run now (Redis's rejection, in its order), or null if it may. */
    private @Nullable String refusal(int slot, List<byte[]> args, CommandContext ctx) {
        if (slot < 0) {
            return unknownCommand(args);
        }
        CommandSpec spec = slotSpecs[slot];
        if (!spec.acceptsArgumentCount(args.size())) {
            return Errors.wrongArity(spec.name());
        }
        if (!ctx.authenticated() && !spec.noAuth()) {
            return Errors.NOAUTH;
        }
        boolean mayAddData = slotDenyOom[slot] || (spec.name().equals("exec") && Transactions.queuedDenyOom(ctx));
        if (mayAddData && ctx.store().overMaxmemory()) {
            return Errors.OOM;
        }
        if (ctx.subscriptionCount() > 0 && !PubSubCommands.ALLOWED_WHEN_SUBSCRIBED.contains(spec.name())) {
            return PubSubCommands.notAllowedWhenSubscribed(fullName(spec, args));
        }
        return null;
    }

    /** The name Redis reports: {@code config|get} for a container command's subcommand, else the name. */
    private static String fullName(CommandSpec spec, List<byte[]> args) {
        return CONTAINERS.contains(spec.name()) && args.size() > 1 ? spec.name() + "|" + Args.lower(args.get(1)) : spec.name();
    }

    private static final java.util.Set<String> CONTAINERS =
            java.util.Set.of("client", "config", "command", "object", "memory", "pubsub");

    /**
     * Runs one command that may run now, turning argument and type errors into error replies, and re-measures the
     * memory of what it changed. EXEC runs its queued commands through here too.
     */
    static RespFrame run(CommandSpec spec, List<byte[]> args, CommandContext ctx) {
        ctx.setCommandName(spec.name());
        try {
            return spec.command().execute(args, ctx);
        } catch (CommandException e) {
            return RespFrame.error(e.getMessage());
        } catch (WrongTypeException e) {
            return RespFrame.error(WrongTypeException.MESSAGE);
        } finally {
            ctx.store().settle(); // the collections the command got may have changed: count their memory again
        }
    }

    /**
     * Returns the slot of the command whose name equals {@code name[from, from + length)} ignoring ASCII case, or -1;
     * allocates nothing.
     */
    private int find(byte[] name, int from, int length) {
        for (int i = foldedHash(name, from, length) & slotMask; ; i = (i + 1) & slotMask) {
            byte[] candidate = slotNames[i];
            if (candidate == null) {
                return -1;
            }
            if (equalsFolded(name, from, length, candidate)) {
                return i;
            }
        }
    }

    /** A hash of the bytes with A-Z taken as a-z, spread so the low bits depend on every byte. */
    private static int foldedHash(byte[] bytes, int from, int length) {
        int h = 0;
        for (int i = from; i < from + length; i++) {
            h = 31 * h + fold(bytes[i]);
        }
        return h ^ (h >>> 16);
    }

    /** Whether the bytes equal {@code lowerName} (lower-case ASCII) with A-Z in them taken as a-z. */
    private static boolean equalsFolded(byte[] arg, int from, int length, byte[] lowerName) {
        if (length != lowerName.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (fold(arg[from + i]) != lowerName[i]) {
                return false;
            }
        }
        return true;
    }

    private static int fold(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    /** Redis's text: the name (at most 128 chars) and the first arguments, each quoted, 128 chars in all. */
    static String unknownCommand(List<byte[]> args) {
        StringBuilder quoted = new StringBuilder();
        for (int i = 1; i < args.size() && quoted.length() < 128; i++) {
            String arg = cString(args.get(i));
            int room = 128 - quoted.length();
            quoted.append('\'').append(arg, 0, Math.min(arg.length(), room)).append("' ");
        }
        String name = cString(args.get(0));
        String message = "ERR unknown command '" + name.substring(0, Math.min(name.length(), 128))
                + "', with args beginning with: " + quoted;
        return oneLine(message);
    }

    /** Redis replaces CR and LF in error texts with spaces. */
    static String oneLine(String message) {
        return message.replace('\r', ' ').replace('\n', ' ');
    }

    /** The argument as Redis's {@code %s} prints it: up to its first NUL (a C string). */
    static String cString(byte[] arg) {
        int n = 0;
        while (n < arg.length && arg[n] != 0) {
            n++;
        }
        return new String(arg, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** Returns the table as a map (for COMMAND). */
    Map<String, CommandSpec> asMap() {
        return new HashMap<>(commands);
    }
}
