package dev.clauderelay.doctor;

import dev.clauderelay.transport.Endpoint;
import dev.clauderelay.transport.ProxyChoice;
import dev.clauderelay.transport.ProxySettings;

/** Which proxy applies to the region's host, and from which setting. Pure. */
final class ProxyCheck {
  private ProxyCheck() {}

  static CheckResult check(ProxySettings settings, ProxyChoice choice, Endpoint target) {
    if (choice.problem() != null) {
      return CheckResult.fail(
              CheckId.PROXY,
              choice.setting() + " is not usable",
              choice.problem(),
              "set "
                  + choice.setting().source()
                  + " to http://host:port (http://user:password@host:port when the proxy needs"
                  + " credentials), or unset it")
          .with("source", choice.setting().source());
    }
    String overridden = overriddenVariable(settings, target);
    if (choice.proxy() != null) {
      return CheckResult.pass(
              CheckId.PROXY,
              "through "
                  + choice.proxy()
                  + " (from "
                  + choice.setting().source()
                  + (overridden == null ? "" : "; it wins over " + overridden)
                  + ")")
          .with("proxy", choice.proxy().toString())
          .with("source", choice.setting().source());
    }
    if (choice.bypassedBy() != null) {
      return CheckResult.pass(
              CheckId.PROXY,
              "direct: "
                  + settings.noProxy().source()
                  + " entry \""
                  + choice.bypassedBy()
                  + "\" matches "
                  + target.host()
                  + ", so "
                  + choice.setting()
                  + " is not used")
          .with("bypassedBy", choice.bypassedBy());
    }
    if (target.https() && settings.http() != null) {
      return CheckResult.warn(
          CheckId.PROXY,
          "direct: " + settings.http() + " is set, but it applies to http:// URLs only",
          "this region is https, which uses HTTPS_PROXY; when the network allows only the"
              + " proxy, direct connections time out",
          "also set HTTPS_PROXY (usually to the same value), or the configuration's proxy");
    }
    return CheckResult.pass(CheckId.PROXY, "direct (proxy, HTTPS_PROXY and HTTP_PROXY not set)");
  }

  /** The variable the configured proxy overrides, or null. */
  private static String overriddenVariable(ProxySettings settings, Endpoint target) {
    if (settings.configured() == null) {
      return null;
    }
    ProxySettings.Setting variable = target.https() ? settings.https() : settings.http();
    return variable == null ? null : variable.source();
  }
}
