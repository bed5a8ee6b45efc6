package dev.clauderelay.sim;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;

/** FIFO of scripted responses; tests add from their thread, the server takes on its event loop. */
final class ScriptQueue {

  private final ArrayDeque<ScriptedResponse> queue = new ArrayDeque<>();

  synchronized void addAll(Collection<ScriptedResponse> responses) {
    queue.addAll(responses);
  }

  /** Removes and returns the oldest response that applies to {@code path}, or {@code null}. */
  synchronized ScriptedResponse poll(String path) {
    Iterator<ScriptedResponse> it = queue.iterator();
    while (it.hasNext()) {
      ScriptedResponse candidate = it.next();
      if (candidate.matches(path)) {
        it.remove();
        return candidate;
      }
    }
    return null;
  }

  synchronized int size() {
    return queue.size();
  }

  synchronized void clear() {
    queue.clear();
  }
}
