package dev.farmapi.server.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Marks a test class (or method) that needs a server of this JVM: it is skipped, with
 * {@link #value} as the reason, when the suite runs through the {@link SharedCluster}. Before
 * anything of the class runs, so that a class whose {@code @BeforeAll} starts its own server is
 * reported as skipped rather than not at all.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(InProcessOnly.Condition.class)
public @interface InProcessOnly {
  /** What the test needs that the cluster does not give. */
  String value();

  /** Reads the annotation of the class or method at hand. */
  final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getElement()
          .flatMap(e -> AnnotationSupport.findAnnotation(e, InProcessOnly.class))
          .filter(a -> SharedCluster.enabled())
          .map(a -> ConditionEvaluationResult.disabled(SharedCluster.skipReason(a.value())))
          .orElse(ConditionEvaluationResult.enabled("runs through any server"));
    }
  }
}
