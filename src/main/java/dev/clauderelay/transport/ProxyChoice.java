package dev.clauderelay.transport;

/**
 * How one endpoint is reached: directly or through a proxy, and why.
 *
 * @param proxy the proxy to use, or null for a direct connection
 * @param setting the setting that named a proxy for this endpoint (even when {@code NO_PROXY}
 *     bypassed it or it was unusable), or null when none did
 * @param bypassedBy the {@code NO_PROXY} entry that matched the endpoint, or null
 * @param problem why the named proxy cannot be used (unparsable URL, unsupported scheme), or null
 */
public record ProxyChoice(
    ProxyEndpoint proxy, ProxySettings.Setting setting, String bypassedBy, String problem) {

  public boolean direct() {
    return proxy == null;
  }

  /** One line for logs and diagnoses; never shows a password. */
  public String describe() {
    if (problem != null) {
      return setting + " is not usable: " + problem;
    }
    if (proxy != null) {
      return "through " + proxy + " (from " + setting.source() + ")";
    }
    if (bypassedBy != null) {
      return "direct: "
          + setting
          + " is set, but the NO_PROXY entry \""
          + bypassedBy
          + "\" matches this host";
    }
    return "direct (no proxy configured)";
  }
}
