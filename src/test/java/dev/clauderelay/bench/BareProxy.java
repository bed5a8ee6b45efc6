package dev.clauderelay.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.transport.Transport;

/**
 * The floor for {@code bench/gateway.sh}: the least a Vert.x HTTP proxy does to forward a call
 * (read the body, send it upstream on a pooled connection with the upstream key, answer the status,
 * two headers and the body; pipe an SSE body). No auth, no checks, no retries, no metrics, no log.
 * One verticle instance, like the gateway, on the same transport (epoll when it loads). Run in its
 * own JVM: {@code BareProxy <upstream base URL>}; prints {@code listening on
 * http://127.0.0.1:PORT}.
 */
public final class BareProxy extends VerticleBase {
  private final String upstream;
  private HttpClientAgent client;
  private HttpServer server;

  private BareProxy(String upstream) {
    this.upstream = upstream;
  }

  public static void main(String[] args) {
    // The same transport as the gateway's default (transport.epoll), so the floor stays a floor.
    VertxBuilder builder = Vertx.builder();
    if (Transport.EPOLL.available()) {
      builder.withTransport(Transport.EPOLL);
    }
    Vertx vertx = builder.build();
    BareProxy proxy = new BareProxy(args[0]);
    vertx
        .deployVerticle(proxy)
        .onSuccess(
            id -> {
              System.out.println("listening on http://127.0.0.1:" + proxy.server.actualPort());
              System.out.flush();
            })
        .onFailure(
            t -> {
              t.printStackTrace();
              System.exit(1);
            });
  }

  @Override
  public Future<?> start() {
    client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setTcpNoDelay(true))
            .requestHandler(this::forward);
    return server.listen(0);
  }

  private void forward(HttpServerRequest req) {
    HttpServerResponse resp = req.response();
    req.body()
        .compose(
            body -> {
              RequestOptions ro =
                  new RequestOptions()
                      .setMethod(req.method())
                      .setAbsoluteURI(upstream + req.uri())
                      .putHeader("x-api-key", "bench-key")
                      .putHeader("anthropic-version", "2023-06-01")
                      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
              return client.request(ro).compose(creq -> creq.send(body));
            })
        .onComplete(
            ar -> {
              if (ar.failed()) {
                resp.setStatusCode(502).end();
                return;
              }
              HttpClientResponse cresp = ar.result();
              resp.setStatusCode(cresp.statusCode());
              String type = cresp.getHeader(HttpHeaders.CONTENT_TYPE);
              if (type != null) {
                resp.putHeader(HttpHeaders.CONTENT_TYPE, type);
              }
              String id = cresp.getHeader("request-id");
              if (id != null) {
                resp.putHeader("request-id", id);
              }
              if (type != null && type.startsWith("text/event-stream")) {
                resp.setChunked(true);
                cresp.pipeTo(resp);
              } else {
                cresp
                    .body()
                    .onComplete(
                        b -> {
                          if (b.succeeded()) {
                            resp.end(b.result());
                          } else {
                            resp.reset();
                          }
                        });
              }
            });
  }
}
