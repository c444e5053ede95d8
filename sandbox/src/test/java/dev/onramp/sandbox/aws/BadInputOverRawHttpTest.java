package dev.onramp.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the SDK would never send: unknown actions, missing and malformed parameters, bad JSON. The
 * only place raw HTTP is used against the AWS endpoint (plus the emulator's admin API).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputOverRawHttpTest {
  private AwsEmulator aws;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    aws = AwsEmulator.builder().securityGroup("raw-sg").start();
  }

  @AfterAll
  void stop() {
    aws.close();
  }

  private HttpResponse<String> form(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(aws.endpoint())
            .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> json(String target, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(aws.endpoint())
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Target", target)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertRdsError(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.body())
        .startsWith("<ErrorResponse")
        .contains("<Type>Sender</Type>", "<Code>" + code + "</Code>", "<RequestId>")
        .doesNotContain("Exception", "\tat ");
    assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
  }

  @Test
  void unknownActionIsInvalidAction() throws Exception {
    assertRdsError(form("Action=DropEverything&Version=2014-10-31"), 400, "InvalidAction");
    HttpResponse<String> ec2 = form("Action=DropEverything&Version=2016-11-15");
    assertThat(ec2.statusCode()).isEqualTo(400);
    assertThat(ec2.body())
        .startsWith("<Response><Errors><Error><Code>InvalidAction</Code>")
        .contains("<RequestID>");
    assertRdsError(form("Version=2014-10-31"), 400, "MissingAction");
  }

  @Test
  void missingParametersAreMissingParameter() throws Exception {
    HttpResponse<String> r = form("Action=DescribeDBParameters&Version=2014-10-31");
    assertRdsError(r, 400, "MissingParameter");
    assertThat(r.body()).contains("DBParameterGroupName");
    assertRdsError(
        form(
            "Action=CreateDBParameterGroup&Version=2014-10-31&DBParameterGroupName=x"
                + "&DBParameterGroupFamily=postgres16"),
        400,
        "MissingParameter");
    assertRdsError(form("Action=RebootDBInstance&Version=2014-10-31"), 400, "MissingParameter");
    HttpResponse<String> sm = json("secretsmanager.GetSecretValue", "{}");
    assertThat(sm.statusCode()).isEqualTo(400);
    assertThat(sm.body()).contains("\"__type\":\"InvalidParameterException\"");
  }

  @Test
  void malformedValuesAreInvalidParameterValue() throws Exception {
    assertRdsError(
        form("Action=DescribeDBInstances&Version=2014-10-31&MaxRecords=lots"),
        400,
        "InvalidParameterValue");
    assertRdsError(
        form("Action=DescribeDBInstances&Version=2014-10-31&MaxRecords=5"),
        400,
        "InvalidParameterValue");
    HttpResponse<String> id =
        form("Action=DescribeDBInstances&Version=2014-10-31&DBInstanceIdentifier=1bad--id-");
    assertRdsError(id, 400, "InvalidParameterValue");
    assertThat(id.body()).contains("is not a valid identifier");
    assertRdsError(
        form(
            "Action=ModifyDBInstance&Version=2014-10-31&DBInstanceIdentifier=x"
                + "&ApplyImmediately=maybe"),
        400,
        "InvalidParameterValue");
    assertRdsError(
        form("Action=DescribeEvents&Version=2014-10-31&StartTime=yesterday"),
        400,
        "InvalidParameterValue");

    HttpResponse<String> cidr =
        form(
            "Action=AuthorizeSecurityGroupIngress&Version=2016-11-15&GroupId=sg-0123456789abcdef0"
                + "&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=5432"
                + "&IpPermissions.1.ToPort=5432&IpPermissions.1.IpRanges.1.CidrIp=10.0.0.0/99");
    assertThat(cidr.statusCode()).isEqualTo(400);
    assertThat(cidr.body()).contains("<Code>InvalidParameterValue</Code>");
    HttpResponse<String> sg =
        form("Action=DescribeSecurityGroups&Version=2016-11-15&GroupId.1=not-a-group");
    assertThat(sg.statusCode()).isEqualTo(400);
    assertThat(sg.body()).contains("<Code>InvalidGroupId.Malformed</Code>");

    HttpResponse<String> badJson = json("secretsmanager.GetSecretValue", "{not json");
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(badJson.body()).contains("SerializationException");
    HttpResponse<String> unknownOp = json("secretsmanager.RotateEverything", "{}");
    assertThat(unknownOp.statusCode()).isEqualTo(400);
  }

  @Test
  void faultsCanBeSetThroughTheAdminEndpoint() throws Exception {
    URI faults = aws.endpoint().resolve("/_sandbox/faults");
    HttpResponse<String> posted =
        http.send(
            HttpRequest.newBuilder(faults)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"type\":\"server-error\",\"operation\":\"DescribeDBEngineVersions\","
                            + "\"count\":1,\"httpStatus\":503}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(posted.statusCode()).isEqualTo(200);
    assertThat(aws.faults().list()).hasSize(1);

    HttpResponse<String> failed = form("Action=DescribeDBEngineVersions&Version=2014-10-31");
    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(failed.body()).contains("<Type>Receiver</Type>", "<Code>ServiceUnavailable</Code>");
    assertThat(form("Action=DescribeDBEngineVersions&Version=2014-10-31").statusCode())
        .isEqualTo(200);

    HttpResponse<String> bad =
        http.send(
            HttpRequest.newBuilder(faults)
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"meteor\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    http.send(
        HttpRequest.newBuilder(faults).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(aws.faults().list()).isEmpty();
  }
}
