package dev.latchkey.spring;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * What the real-HTTP application tests (MVC on H2 and PostgreSQL, WebFlux) share: the API-key header
 * beside Bearer, and Actuator's endpoints open over HTTP with details and values shown, so the tests
 * can check that the peppers never appear there. Each test adds its own database and peppers.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@TestPropertySource(properties = {
    "latchkey.security.api-key-header=X-Api-Key",
    "management.endpoints.web.exposure.include=health,metrics,env,configprops",
    "management.endpoint.health.show-details=always",
    "management.endpoint.env.show-values=always",
    "management.endpoint.configprops.show-values=always"})
public @interface ApplicationTestProperties {}
