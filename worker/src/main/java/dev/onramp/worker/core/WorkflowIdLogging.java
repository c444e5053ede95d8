package dev.onramp.worker.core;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import org.slf4j.MDC;

/**
 * Puts the workflow id and activity type into the logging MDC for the length of each activity, so
 * every log line an activity writes says which onboarding it belongs to.
 */
public final class WorkflowIdLogging extends WorkerInterceptorBase {

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityInfo info;

      // The context is handed over here; Activity.getExecutionContext() is not yet usable.
      @Override
      public void init(ActivityExecutionContext context) {
        info = context.getInfo();
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        MDC.put("workflowId", info.getWorkflowId());
        MDC.put("activity", info.getActivityType());
        try {
          return super.execute(input);
        } finally {
          MDC.remove("workflowId");
          MDC.remove("activity");
        }
      }
    };
  }
}
