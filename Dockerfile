# The onramp image: the CLI jar, which holds the worker, the sandbox and the demo.
#   worker (default):  java -jar /app/onramp.jar worker --config /app/config/worker.yml
#   sandbox:           java -jar /app/onramp.jar sandbox --state-dir /var/lib/onramp/sandbox
# DeploymentFilesTest checks that what this file copies is what `mvn package` makes.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -ntp -DskipTests -Dspotless.check.skip=true package -pl starter -am

FROM eclipse-temurin:17-jre
# curl: the compose health checks. openssl: the sandbox's AWS emulator makes its DB instances' TLS
# certificates with it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl openssl \
 && rm -rf /var/lib/apt/lists/*
# Not root: the worker needs no privilege, and PostgreSQL (the sandbox's DB instances) refuses to
# run as root. /var/lib/onramp holds the sandbox's state (a volume in docker-compose.yml).
RUN useradd --system --no-create-home onramp \
 && mkdir -p /var/lib/onramp \
 && chown onramp /var/lib/onramp
WORKDIR /app
COPY --from=build /src/starter/target/onramp.jar /app/onramp.jar
COPY config/worker.yml /app/config/worker.yml
USER onramp
# It listens on 0.0.0.0 inside the container, so it needs ONRAMP_API_TOKENS (see docker-compose.yml).
ENV ONRAMP_BIND=0.0.0.0
EXPOSE 8080 8081
ENTRYPOINT ["java", "-jar", "/app/onramp.jar"]
CMD ["worker", "--config", "/app/config/worker.yml"]
