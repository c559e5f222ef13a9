package dev.latchkey.spring.reactive;

import dev.latchkey.VerificationListener;
import dev.latchkey.Verified;
import dev.latchkey.spring.security.reactive.LatchkeyServerSecurity;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** A WebFlux application protected by Latchkey, with a JDBC (blocking) store. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableReactiveMethodSecurity
@Import(ReactiveApp.Api.class)
public class ReactiveApp {

  @Bean
  SecurityWebFilterChain api(ServerHttpSecurity http, LatchkeyServerSecurity latchkey) {
    return http
        .authorizeExchange(e -> e.pathMatchers("/actuator/**").permitAll().anyExchange().authenticated())
        .oauth2ResourceServer(latchkey.resourceServer())
        .build();
  }

  /** Which threads verified from the cache, and which read the store. */
  @Bean
  Threads threads() {
    return new Threads();
  }

  public static final class Threads implements VerificationListener {
    final List<String> cacheHits = new CopyOnWriteArrayList<>();
    final List<String> storeLookups = new CopyOnWriteArrayList<>();

    @Override
    public void onCacheHit() {
      cacheHits.add(describe());
    }

    @Override
    public void onStoreLookup(long nanos) {
      storeLookups.add(describe());
    }

    /** The thread's name, and whether Reactor counts it as non-blocking (an event loop or parallel worker). */
    private static String describe() {
      return Thread.currentThread().getName() + (reactor.core.scheduler.Schedulers.isInNonBlockingThread()
          ? " (non-blocking)" : " (may block)");
    }
  }

  @RestController
  static class Api {
    @GetMapping("/whoami")
    Mono<String> whoami(@AuthenticationPrincipal Verified who) {
      return Mono.just(who.principal().toString());
    }

    @PreAuthorize("hasAuthority('deploy')")
    @GetMapping("/deploy")
    Mono<String> deploy(@AuthenticationPrincipal Verified who) {
      return Mono.just("deploying as " + who.principal());
    }
  }
}
