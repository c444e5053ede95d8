# The onramp worker image: builds the CLI jar (which contains the worker) and runs `onramp worker`.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -ntp -DskipTests -Dspotless.check.skip=true package -pl starter -am

FROM eclipse-temurin:17-jre
# Not root: the worker needs no privilege in its container.
RUN useradd --system --no-create-home onramp
WORKDIR /app
COPY --from=build /src/starter/target/onramp.jar /app/onramp.jar
COPY config/worker.yml /app/config/worker.yml
USER onramp
# It listens on 0.0.0.0 inside the container, so it needs ONRAMP_API_TOKENS (see docker-compose.yml).
EXPOSE 8080 8081
ENTRYPOINT ["java", "-jar", "/app/onramp.jar"]
CMD ["worker", "--config", "/app/config/worker.yml"]
