package dev.clauderelay.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request outcome: method, path, status, region, attempts, latency, request-id. It
 * holds nothing a client sent in a header and no body, so no token or key can reach the log.
 */
final class AccessLog {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);

  /**
   * Context data key the gateway sets on its context: "this context logs each call's outcome
   * itself", so the pipeline logs its own outcome line for those calls at DEBUG. The same string as
   * the engine's {@code Pipeline.OUTCOME_LOGGED_BY_CALLER} (the gateway may not import the engine).
   */
  static final String OUTCOME_LOGGED_BY_CALLER = "claude-relay.outcome-logged-by-caller";

  private AccessLog() {}

  /**
   * @param status the status sent, or {@code 0} when the client went away before the end
   */
  static void outcome(RequestRecord r, int status) {
    if (r.quiet ? !LOG.isDebugEnabled() : !LOG.isInfoEnabled()) {
      return;
    }
    String line =
        "{} {} status={} region={} attempts={} latencyMs={} request-id={}"
            + (r.detail == null ? "" : " {}");
    Object[] args = {
      r.method,
      r.path,
      status == 0 ? "client-closed" : Integer.toString(status),
      r.region == null ? "-" : r.region,
      r.attempts,
      r.elapsedMs(),
      r.requestId(),
      r.detail
    };
    if (r.quiet) {
      LOG.debug(line, args);
    } else {
      LOG.info(line, args);
    }
  }
}
