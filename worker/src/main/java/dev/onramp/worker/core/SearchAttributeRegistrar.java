package dev.onramp.worker.core;

import dev.onramp.workflows.OnboardingWorkflows;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the search attributes the workflows upsert (OnboardingStep, OnboardingStatus,
 * DbInstance, VerificationStatus; LastVerifiedAt, a Datetime) when the namespace lacks them: a
 * workflow that upserts an unknown attribute fails its workflow task. On Temporal Cloud an admin
 * adds them; the log says how.
 */
public final class SearchAttributeRegistrar {
  public static final List<String> NAMES =
      List.copyOf(OnboardingWorkflows.SEARCH_ATTRIBUTES.keySet());
  private static final Logger log = LoggerFactory.getLogger(SearchAttributeRegistrar.class);

  private SearchAttributeRegistrar() {}

  public static void ensure(WorkflowClient client) {
    String namespace = client.getOptions().getNamespace();
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(client.getWorkflowServiceStubs().getRawChannel())
                .validateAndBuildWithDefaults());
    try {
      Map<String, IndexedValueType> missing = new LinkedHashMap<>();
      try {
        var existing =
            operator
                .blockingStub()
                .listSearchAttributes(
                    ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
                .getCustomAttributesMap();
        OnboardingWorkflows.SEARCH_ATTRIBUTES.forEach(
            (name, type) -> {
              if (!existing.containsKey(name)) {
                missing.put(name, type);
              }
            });
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
          throw e;
        }
        // The SDK's test server cannot list them but can add them.
        missing.putAll(OnboardingWorkflows.SEARCH_ATTRIBUTES);
      }
      if (!missing.isEmpty()) {
        operator
            .blockingStub()
            .addSearchAttributes(
                AddSearchAttributesRequest.newBuilder()
                    .setNamespace(namespace)
                    .putAllSearchAttributes(missing)
                    .build());
        log.info("registered search attributes {} in namespace {}", missing.keySet(), namespace);
      }
    } catch (RuntimeException e) {
      log.warn(
          "could not register search attributes {} in namespace {} ({}); add them once with:"
              + " temporal operator search-attribute create --namespace {} --name OnboardingStep"
              + " --type Keyword --name OnboardingStatus --type Keyword --name DbInstance --type"
              + " Keyword --name VerificationStatus --type Keyword --name LastVerifiedAt --type"
              + " Datetime",
          NAMES,
          namespace,
          e.getMessage(),
          namespace);
    } finally {
      operator.shutdown();
    }
  }
}
