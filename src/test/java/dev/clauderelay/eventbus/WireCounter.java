package dev.clauderelay.eventbus;

import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches {@code claude.stream} traffic on the wire (an outbound interceptor sees every message as
 * it is sent): credits granted by consumers and events sent by the service. A grant is counted
 * before it is delivered, so "events sent ≤ credits granted" checked at each event is the service's
 * promise, whoever the consumer is.
 */
final class WireCounter {
  final AtomicLong granted = new AtomicLong();
  final AtomicLong events = new AtomicLong();
  final List<String> violations = new CopyOnWriteArrayList<>();

  static WireCounter install(EventBus bus) {
    WireCounter counter = new WireCounter();
    bus.addOutboundInterceptor(counter::observe);
    return counter;
  }

  private void observe(DeliveryContext<Object> dc) {
    String address = dc.message().address();
    if (dc.message().body() instanceof JsonObject body) {
      if (address.equals(Addresses.STREAM) || address.startsWith(Addresses.STREAM_CONTROL_PREFIX)) {
        Object credits = body.getValue(StreamProtocol.CREDITS);
        if (credits instanceof Number n) {
          granted.addAndGet(n.longValue());
        }
      } else if (body.containsKey(StreamProtocol.EVENT)) {
        long sent = events.incrementAndGet();
        if (sent > granted.get()) {
          violations.add("event " + sent + " sent with only " + granted.get() + " credits granted");
        }
      }
    }
    dc.next();
  }
}
