# One image for every Tierflow service: the `tierflow` CLI jar. Services differ by command (streams, migrator,
# produce, init); see docker-compose.yml.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# POMs first, so the dependency download is a cached layer that source changes do not invalidate.
COPY pom.xml ./
COPY schemas/pom.xml schemas/
COPY local-stack/pom.xml local-stack/
COPY streams-app/pom.xml streams-app/
COPY migrator-worker/pom.xml migrator-worker/
COPY query-api/pom.xml query-api/
COPY cli/pom.xml cli/
# Not in the image, but the parent POM lists them, so Maven needs their POMs to read the reactor.
COPY bench/pom.xml bench/
COPY microbench/pom.xml microbench/
RUN mvn -B -q -pl cli -am dependency:go-offline -DexcludeReactor=true || true
COPY . .
RUN mvn -B -q -DskipTests -pl cli -am package

FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /var/lib/tierflow --create-home tierflow
COPY --from=build /src/cli/target/tierflow.jar /opt/tierflow/tierflow.jar
USER tierflow
WORKDIR /var/lib/tierflow
# G1 with a 20 ms pause-time goal, as scripts/tierflow: the streams service serves the query API (p99 latency). In an
# environment variable the java launcher reads, so a service can replace it (e.g. JDK_JAVA_OPTIONS in compose).
ENV JDK_JAVA_OPTIONS="-XX:+UseG1GC -XX:MaxGCPauseMillis=20"
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "-jar", "/opt/tierflow/tierflow.jar"]
CMD ["--help"]
