# Runtime image of claude-relay: the fat jar on a JRE, as a non-root user.
#   mvn -B -q package -DskipTests && docker build -t claude-relay:0.1.0 .
# The jar is built outside the image (Maven is not needed at run time and the build stays one
# command that CI already runs).
FROM eclipse-temurin:17-jre

# Fixed numeric ids: Kubernetes' runAsNonRoot can only verify a numeric USER, and k8s/deployment.yaml
# runs as (and sets fsGroup to) the same 10001.
RUN groupadd --system --gid 10001 relay \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin relay \
 && mkdir -p /app/conf /app/data/pending \
 && chown 10001:10001 /app/data /app/data/pending

WORKDIR /app
# Owned by root and not writable by the relay's user: the code cannot be changed at run time.
COPY target/claude-relay.jar /app/claude-relay.jar
# The documented defaults (host 127.0.0.1). In Kubernetes the ConfigMap is mounted over /app/conf;
# with plain `docker run`, set CLAUDE_RELAY_GATEWAY_HOST=0.0.0.0 and CLAUDE_RELAY_GATEWAY_TOKENS.
COPY conf/config.yaml /app/conf/config.yaml

USER 10001:10001
EXPOSE 8080

# Heap from the container's memory limit; an OutOfMemoryError ends the process so that the
# orchestrator restarts it rather than leaving a half-working JVM serving traffic.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
            "-Djava.io.tmpdir=/tmp", "-jar", "/app/claude-relay.jar"]
CMD ["serve", "--config", "/app/conf/config.yaml"]
