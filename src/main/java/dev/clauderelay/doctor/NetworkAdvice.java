package dev.clauderelay.doctor;

import dev.clauderelay.transport.ProxyChoice;
import dev.clauderelay.transport.probe.ConnectFailure;
import dev.clauderelay.transport.probe.HostResolver;
import dev.clauderelay.transport.probe.TlsDetails;
import dev.clauderelay.transport.probe.TlsFailure;
import java.util.concurrent.TimeoutException;

/** The cause and fix of a failed DNS, TCP or TLS layer. Pure. */
final class NetworkAdvice {
  private NetworkAdvice() {}

  /**
   * @param host the name looked up (the proxy's, when a proxy is used)
   * @param via the proxy in use, or null when the region's own host was looked up
   */
  static CheckResult dnsFailed(String host, ProxyChoice via, Throwable failure, long timeoutMs) {
    boolean proxy = via != null && via.proxy() != null;
    String what = proxy ? "the proxy host " + host : host;
    if (failure instanceof TimeoutException) {
      return CheckResult.fail(
          CheckId.DNS,
          what + ": no answer from the resolver within " + timeoutMs + " ms",
          "the DNS server does not answer: offline, a VPN that is down, or a resolver that is"
              + " blocked",
          "check the network connection and the DNS servers (/etc/resolv.conf, VPN)");
    }
    String fix;
    if (HostResolver.isReservedInvalid(host)) {
      fix =
          ".invalid names never resolve (RFC 6761): put the real host in "
              + (proxy ? via.setting().source() : "the region's baseUrl");
    } else if (proxy) {
      fix = "check the proxy host in " + via.setting().source() + " and the machine's DNS";
    } else {
      fix =
          "check the host in baseUrl for typos and the machine's DNS (/etc/resolv.conf, VPN);"
              + " where only a proxy resolves outside names, set HTTPS_PROXY";
    }
    return CheckResult.fail(
        CheckId.DNS, what + " does not resolve", "resolver error: " + describe(failure), fix);
  }

  /**
   * @param target {@code host:port} dialled (the region's, or the proxy's)
   * @param via the proxy used, or null for a direct connection
   */
  static CheckResult tcpFailed(
      ConnectFailure kind, String target, ProxyChoice via, Throwable failure, long timeoutMs) {
    boolean proxy = via != null && via.proxy() != null;
    String proxyName = proxy ? via.proxy() + " (" + via.setting().source() + ")" : null;
    String error = describe(failure);
    return switch (kind) {
      case REFUSED ->
          proxy
              ? CheckResult.fail(
                  CheckId.TCP,
                  "the proxy " + proxyName + " refused the connection",
                  "nothing listens on the proxy's port, or a firewall rejects it (" + error + ")",
                  "check the proxy's host and port in " + via.setting().source())
              : CheckResult.fail(
                  CheckId.TCP,
                  target + " refused the connection",
                  "nothing listens on that port (wrong port in baseUrl?), or a firewall rejects"
                      + " it actively",
                  "check the port in baseUrl (https uses 443); if it is right, ask whoever runs"
                      + " the firewall to allow outbound TCP to "
                      + target);
      case TIMED_OUT ->
          CheckResult.fail(
              CheckId.TCP,
              (proxy ? "the proxy " + proxyName : target)
                  + ": connection timed out after "
                  + timeoutMs
                  + " ms (likely a firewall)",
              "no answer at all to the connection attempt: packets are dropped silently, which"
                  + " is what firewalls do",
              proxy
                  ? "check that the proxy address is reachable from this machine"
                  : "allow outbound TCP to "
                      + target
                      + ", or set HTTPS_PROXY to your network's proxy (many networks allow only"
                      + " the proxy)");
      case UNREACHABLE ->
          CheckResult.fail(
              CheckId.TCP,
              (proxy ? "the proxy " + proxyName : target) + " is unreachable",
              "no route to the host or network (" + error + ")",
              "check the network connection, VPN and routes");
      case PROXY_UNRESOLVED ->
          CheckResult.fail(
              CheckId.TCP,
              "the proxy " + proxyName + " does not resolve",
              error,
              "check the proxy host in " + (proxy ? via.setting().source() : "the proxy setting"));
      case PROXY_AUTH ->
          CheckResult.fail(
              CheckId.TCP,
              "the proxy " + proxyName + " requires authentication (407)",
              "it answered CONNECT " + target + " with 407 Proxy Authentication Required",
              "put the credentials in the proxy URL: http://user:password@host:port");
      case PROXY_REFUSED ->
          CheckResult.fail(
              CheckId.TCP,
              "the proxy " + proxyName + " refused to tunnel to " + target,
              "it answered CONNECT with status "
                  + ConnectFailure.proxyStatus(failure)
                  + ": its policy does not allow this host or port",
              "ask the proxy's administrators to allow "
                  + target
                  + ", or, if the host is reachable directly, add it to NO_PROXY");
      case OTHER ->
          CheckResult.fail(
              CheckId.TCP,
              "cannot connect to " + (proxy ? target + " through " + proxyName : target),
              error,
              "check the host and port in baseUrl and the network");
    };
  }

  /**
   * @param host the host name the certificate must match
   * @param presented what the server showed, even when refused (may be empty)
   * @param caFileSet whether tls.caFile is configured
   */
  static CheckResult tlsFailed(
      TlsFailure kind,
      String host,
      TlsDetails presented,
      boolean caFileSet,
      Throwable failure,
      long timeoutMs) {
    String cert =
        presented.subject() == null
            ? ""
            : " (certificate " + presented.subject() + ", issued by " + presented.issuer() + ")";
    String error = describe(failure);
    CheckResult result =
        switch (kind) {
          case UNKNOWN_ISSUER ->
              CheckResult.fail(
                  CheckId.TLS,
                  "certificate of "
                      + host
                      + " not trusted: unknown issuer "
                      + (presented.issuer() == null ? "" : "\"" + presented.issuer() + "\""),
                  (presented.selfSigned()
                          ? "the server presented a self-signed certificate" + cert
                          : "the issuer is not a CA this JVM trusts" + cert)
                      + "; for a public API this looks like a TLS-intercepting proxy or antivirus,"
                      + " otherwise a private CA",
                  caFileSet
                      ? "the configured tls.caFile does not contain that issuer: add its CA"
                          + " certificate (PEM) to the file"
                      : "get the inspecting proxy's (or private) root CA as PEM from your network"
                          + " administrators and set tls: { caFile: /path/ca.pem } (or"
                          + " CLAUDE_RELAY_TLS_CA_FILE); verification stays on");
          case HOSTNAME_MISMATCH ->
              CheckResult.fail(
                  CheckId.TLS,
                  "certificate does not match " + host,
                  "it is for " + presented.names() + cert,
                  "use a host name the certificate covers in baseUrl; if it should cover "
                      + host
                      + ", something else (a proxy, a wrong DNS entry) is answering");
          case EXPIRED ->
              CheckResult.fail(
                  CheckId.TLS,
                  "certificate of " + host + " expired" + atTime(presented),
                  "the server (or an intercepting proxy) presents an expired certificate" + cert,
                  "check the local clock first (date -u); if it is right, the server's operator"
                      + " must renew it");
          case NOT_YET_VALID ->
              CheckResult.fail(
                  CheckId.TLS,
                  "certificate of " + host + " is not valid yet",
                  "this machine's clock is probably behind" + cert,
                  "synchronise the clock (NTP: timedatectl set-ntp true)");
          case UNTRUSTED ->
              CheckResult.fail(
                  CheckId.TLS,
                  "certificate of " + host + " refused",
                  error + cert,
                  "check the certificate chain the server sends (openssl s_client -connect "
                      + host
                      + ":443 -showcerts)");
          case NOT_TLS ->
              CheckResult.fail(
                  CheckId.TLS,
                  host + " does not speak TLS on this port",
                  "the answer was not a TLS handshake: plain HTTP or another protocol ("
                      + error
                      + ")",
                  "use http:// for a plain-HTTP endpoint, or the TLS port (443) for https://");
          case NO_COMMON_PROTOCOL ->
              CheckResult.fail(
                  CheckId.TLS,
                  "no TLS version or cipher in common with " + host,
                  error,
                  "use a current JVM (17+) with its default TLS settings; an old middlebox may"
                      + " need TLS 1.2");
          case CLOSED ->
              CheckResult.fail(
                  CheckId.TLS,
                  "connection closed during the TLS handshake with " + host,
                  "a firewall or proxy that filters by server name (SNI) often does this ("
                      + error
                      + ")",
                  "ask whoever runs the firewall to allow "
                      + host
                      + ", or use the network's proxy (HTTPS_PROXY)");
          case TIMED_OUT ->
              CheckResult.fail(
                  CheckId.TLS,
                  "no TLS answer from " + host + " within " + timeoutMs + " ms",
                  "the connection opened, but the server (or a middlebox) never answered the"
                      + " handshake",
                  "check that the port serves TLS and that no firewall holds the connection");
          case OTHER ->
              CheckResult.fail(
                  CheckId.TLS,
                  "TLS handshake with " + host + " failed",
                  error + cert,
                  "check the server's certificate with openssl s_client -connect " + host + ":443");
        };
    return result
        .with("failure", kind.name())
        .with("subject", presented.subject())
        .with("issuer", presented.issuer())
        .with("notAfter", presented.notAfter() == null ? null : presented.notAfter().toString());
  }

  private static String atTime(TlsDetails presented) {
    return presented.notAfter() == null ? "" : " on " + presented.notAfter();
  }

  /** The exception's class and message, on one line. */
  static String describe(Throwable failure) {
    if (failure == null) {
      return "unknown error";
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    String text =
        root.getClass().getSimpleName()
            + (message == null || message.isBlank() ? "" : ": " + message);
    return text.replaceAll("\\s+", " ");
  }
}
