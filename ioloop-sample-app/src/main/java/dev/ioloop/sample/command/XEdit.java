package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.StreamValue;
import dev.ioloop.sample.store.StreamValue.StreamId;
import java.util.List;

/**
 * XDEL key id [id ...] (how many existed; every ID is checked first), XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT
 * count] (how many were trimmed, as {@link StreamValue#trim}) and XSETID key last-id [ENTRIESADDED n] [MAXDELETEDID
 * id].
 */
final class XEdit extends OneKeyFormCommand<XEdit.Form> {

    /** Which of the commands. */
    enum Form { XDEL, XTRIM, XSETID }

    XEdit(Form form) {
        super(form);
    }

    @Override
    RespFrame execute(Form form, KeyValueStore store, Key key, List<byte[]> args) {
        switch (form) {
            case XDEL: {
                if (store.read(key, StreamValue.KIND) == null) {
                    return RespFrame.ZERO;
                }
                StreamId[] ids = new StreamId[args.size() - 2];
                for (int j = 2; j < args.size(); j++) {
                    ids[j - 2] = StreamArgs.id(args.get(j), 0, true);
                }
                StreamValue stream = store.modify(key, StreamValue.KIND);
                long deleted = 0;
                for (StreamId id : ids) {
                    if (stream.delete(id)) {
                        deleted++;
                    }
                }
                return RespFrame.integer(deleted);
            }
            case XTRIM: {
                StreamArgs.Trim trim = StreamArgs.Trim.parse(args, false);
                if (store.read(key, StreamValue.KIND) == null) {
                    return RespFrame.ZERO;
                }
                return RespFrame.integer(store.modify(key, StreamValue.KIND)
                        .trim(trim.maxlen, trim.minId, trim.approximate, trim.limit));
            }
            default:
                return xsetid(args, store, key);
        }
    }

    private static RespFrame xsetid(List<byte[]> args, KeyValueStore store, Key key) {
        StreamId id = StreamArgs.id(args.get(2), 0, true);
        long entriesAdded = -1;
        StreamId maxDeleted = null;
        for (int i = 3; i < args.size(); i += 2) {
            boolean more = i + 1 < args.size();
            if (Args.is(args.get(i), "entriesadded") && more) {
                entriesAdded = Args.longValue(args.get(i + 1));
                if (entriesAdded < 0) {
                    return RespFrame.error("ERR entries_added must be positive");
                }
            } else if (Args.is(args.get(i), "maxdeletedid") && more) {
                maxDeleted = StreamArgs.id(args.get(i + 1), 0, true);
                if (id.compareTo(maxDeleted) < 0) {
                    return RespFrame.error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
            } else {
                return RespFrame.error(Errors.SYNTAX);
            }
        }
        StreamValue read = store.read(key, StreamValue.KIND);
        if (read == null) {
            return RespFrame.error(Errors.NO_SUCH_KEY);
        }
        if (read.length() > 0) {
            if (id.compareTo(read.last().id()) < 0) {
                return RespFrame.error("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && read.length() > entriesAdded) {
                return RespFrame.error("ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        store.modify(key, StreamValue.KIND).setLastId(id, entriesAdded,
                maxDeleted == null || maxDeleted.equals(StreamId.ZERO) ? null : maxDeleted);
        return RespFrame.OK;
    }
}
