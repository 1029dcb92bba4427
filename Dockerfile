# The Berth image for those who build with docker or buildah; the Maven build makes the same
# image without a daemon (./mvnw package jib:build, see docs/kubernetes.md). Keep the two alike:
# ContainerImageIT compares this file with the image that Jib builds.
#
#   ./mvnw -DskipTests package
#   docker build -t registry.example.com/platform/berth:0.1.0 .
FROM eclipse-temurin:21-jre

# The registry's storage directory, owned by the user the registry runs as.
RUN install -d -o 65532 -g 65532 -m 0755 /var/lib/registry

COPY src/main/image/etc/docker/registry/config.yml /etc/docker/registry/config.yml
COPY target/berth.jar /opt/berth/berth.jar

# Heap from the container's memory limit; no hsperfdata file, so /tmp is the only scratch the JVM
# needs besides the storage directory.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -Djava.io.tmpdir=/tmp"

USER 65532:65532
WORKDIR /var/lib/registry
EXPOSE 5000
VOLUME ["/var/lib/registry"]

# java -jar, so that the jar's Add-Opens manifest entry applies.
ENTRYPOINT ["java", "-jar", "/opt/berth/berth.jar"]
CMD ["serve", "/etc/docker/registry/config.yml"]
