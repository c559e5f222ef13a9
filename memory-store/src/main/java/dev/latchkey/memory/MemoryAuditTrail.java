package dev.latchkey.memory;

import dev.latchkey.AuditEvent;
import dev.latchkey.AuditQuery;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.spi.AuditTrail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The memory store's audit trail: a bounded ring of the newest events, numbered in append order. A
 * full ring drops its oldest event for each new one. Queries scan newest first; the cursor is the
 * number of the last event returned.
 */
final class MemoryAuditTrail implements AuditTrail {
  private final int capacity;
  private final ConcurrentSkipListMap<Long, AuditEvent> events = new ConcurrentSkipListMap<>();
  private long last;

  MemoryAuditTrail(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public synchronized void append(AuditEvent event) {
    if (event == null) {
      throw new InvalidArgumentException("event is required");
    }
    events.put(++last, event);
    while (events.size() > capacity) {
      events.pollFirstEntry();
    }
  }

  @Override
  public Page<AuditEvent> query(AuditQuery query, PageRequest page) {
    if (query == null || page == null) {
      throw new InvalidArgumentException("query and page are required");
    }
    String after = page.after();
    Iterator<Map.Entry<Long, AuditEvent>> newestFirst =
        (after == null ? events.descendingMap() : events.headMap(cursor(after), false).descendingMap())
            .entrySet().iterator();
    List<AuditEvent> items = new ArrayList<>();
    long lastSeq = 0;
    while (newestFirst.hasNext()) {
      Map.Entry<Long, AuditEvent> e = newestFirst.next();
      if (!query.matches(e.getValue())) {
        continue;
      }
      if (items.size() == page.limit()) {
        return Page.of(items, Long.toString(lastSeq));
      }
      items.add(e.getValue());
      lastSeq = e.getKey();
    }
    return Page.of(items, null);
  }

  @Override
  public synchronized int pruneBefore(Instant cutoff) {
    if (cutoff == null) {
      throw new InvalidArgumentException("cutoff is required");
    }
    int pruned = 0;
    // appends come in time order (the clock of one process), so the old ones are at the head
    for (Iterator<AuditEvent> it = events.values().iterator(); it.hasNext(); ) {
      if (!it.next().at().isBefore(cutoff)) {
        break;
      }
      it.remove();
      pruned++;
    }
    return pruned;
  }

  private static long cursor(String after) {
    try {
      long seq = Long.parseLong(after);
      if (seq > 0) {
        return seq;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidArgumentException("not an audit page cursor of this store");
  }
}
