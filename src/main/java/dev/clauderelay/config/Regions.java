package dev.clauderelay.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads {@code regions}: the default region, unique names, no region that is the relay itself. */
final class Regions {
  private static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "::", "[::]");

  private Regions() {}

  /**
   * An absent {@code regions} key means the default region {@code anthropic}; an empty list is an
   * error, because it is a configuration that can serve nothing, written on purpose or by mistake.
   */
  static List<RegionConfig> read(Section root, GatewayConfig gateway) {
    LoadContext context = root.context();
    int problemsBefore = context.problemCount();
    List<Section> items = root.sections("regions");
    if (items == null) {
      items =
          List.of(
              new Section(
                  JsonNodeFactory.instance.objectNode().put("name", RegionConfig.DEFAULT_NAME),
                  "regions[0]",
                  context));
    } else if (items.isEmpty() && context.problemCount() == problemsBefore) {
      // Not after a type problem (regions: [a, b]), which already said what is wrong.
      context.problem(
          "regions must list at least one region; remove the key to use the default region "
              + RegionConfig.DEFAULT_NAME
              + " ("
              + RegionConfig.DEFAULT_BASE_URL
              + ")");
    }
    context.regionCount(items.size());
    List<RegionConfig> regions = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      RegionConfig region = RegionConfig.read(items.get(i), i == 0);
      if (region == null) {
        continue;
      }
      if (!names.add(region.name())) {
        context.problem(
            items.get(i).pathOf("name")
                + " "
                + region.name()
                + " is already the name of an earlier region; names must be unique");
      }
      String loop = loopProblem(region, gateway, context);
      if (loop != null) {
        context.problem(items.get(i).pathOf("baseUrl") + " " + loop);
      }
      regions.add(region);
    }
    return regions;
  }

  /**
   * A region pointing at the gateway itself would send every request round in a circle; the likely
   * cause is a shell whose ANTHROPIC_BASE_URL points SDKs at the relay.
   */
  private static String loopProblem(
      RegionConfig region, GatewayConfig gateway, LoadContext context) {
    URI uri = URI.create(region.baseUrl());
    String host = uri.getHost();
    if (host == null || gateway.port() == 0 || Urls.port(uri) != gateway.port()) {
      return null;
    }
    String gatewayHost = gateway.host().toLowerCase(Locale.ROOT);
    boolean sameHost =
        host.equalsIgnoreCase(gatewayHost)
            || (isLoopback(host)
                && (isLoopback(gatewayHost) || WILDCARD_HOSTS.contains(gatewayHost)));
    if (!sameHost) {
      return null;
    }
    String variable = context.env("ANTHROPIC_BASE_URL");
    boolean fromVariable =
        variable != null && region.baseUrl().equals(Urls.stripTrailingSlashes(variable.trim()));
    return Urls.redact(region.baseUrl())
        + " is this relay's own gateway ("
        + gateway.host()
        + ":"
        + gateway.port()
        + "): requests would loop back into the relay"
        + (fromVariable
            ? "; it comes from ANTHROPIC_BASE_URL, which points SDKs at the relay"
            : "");
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
  }
}
