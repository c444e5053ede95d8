package dev.onramp.worker.resources;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodec;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Temporal's remote codec protocol, for the Web UI and {@code temporal --codec-endpoint}: POST
 * {@code /codec/decode} and {@code /codec/encode} with {@code {"payloads": [...]}} in proto JSON.
 * Callers present a bearer token like every caller of the API ({@code temporal ... --codec-endpoint
 * http://127.0.0.1:8080/codec --codec-auth "Bearer $TOKEN"}); only the configured UI origins may
 * call it from a browser, whose CORS preflight needs no token. The codec given here should be
 * {@link dev.onramp.workflows.client.AesGcmPayloadCodec#forDisplay()}: the UI asks to decode
 * plaintext payloads too.
 */
@Path("/codec")
public class CodecResource {
  private final PayloadCodec codec;
  private final List<String> allowedOrigins;

  public CodecResource(PayloadCodec codec, List<String> allowedOrigins) {
    this.codec = codec;
    this.allowedOrigins = List.copyOf(allowedOrigins);
  }

  @POST
  @Path("/decode")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response decode(String body, @HeaderParam("Origin") String origin) {
    return transform(
        body,
        origin,
        p -> Payloads.newBuilder().addAllPayloads(codec.decode(p.getPayloadsList())).build());
  }

  @POST
  @Path("/encode")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response encode(String body, @HeaderParam("Origin") String origin) {
    return transform(
        body,
        origin,
        p -> Payloads.newBuilder().addAllPayloads(codec.encode(p.getPayloadsList())).build());
  }

  // One preflight method per literal path: Jersey matches /decode to the POST's literal path
  // before a {op} template, and answers OPTIONS there itself, without these headers.
  @OPTIONS
  @Path("/decode")
  public Response preflightDecode(@HeaderParam("Origin") String origin) {
    return cors(Response.noContent(), origin).build();
  }

  @OPTIONS
  @Path("/encode")
  public Response preflightEncode(@HeaderParam("Origin") String origin) {
    return cors(Response.noContent(), origin).build();
  }

  private Response transform(String body, String origin, UnaryOperator<Payloads> op) {
    Payloads.Builder in = Payloads.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(body, in);
      String json = JsonFormat.printer().print(op.apply(in.build()));
      return cors(Response.ok(json, MediaType.APPLICATION_JSON), origin).build();
    } catch (InvalidProtocolBufferException e) {
      return cors(Response.status(400).entity("{\"error\":\"not a payloads document\"}"), origin)
          .build();
    } catch (RuntimeException e) {
      return cors(
              Response.status(400).entity("{\"error\":\"cannot transform these payloads\"}"),
              origin)
          .build();
    }
  }

  private Response.ResponseBuilder cors(Response.ResponseBuilder r, String origin) {
    if (origin != null && allowedOrigins.contains(origin)) {
      r.header("Access-Control-Allow-Origin", origin)
          .header("Access-Control-Allow-Credentials", "true")
          .header("Access-Control-Allow-Methods", "POST, OPTIONS")
          .header("Access-Control-Allow-Headers", "Content-Type, X-Namespace, Authorization")
          .header("Vary", "Origin");
    }
    return r;
  }
}
