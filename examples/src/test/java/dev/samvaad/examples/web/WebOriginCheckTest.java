package dev.samvaad.examples.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WebOriginCheckTest {
    private final OriginCheck check = OriginCheck.sameOriginOrLocalhost();

    @Test
    void theServersOwnOriginIsAllowed() {
        assertThat(check.allows("http://192.168.1.5:8080", "192.168.1.5:8080")).isTrue();
        assertThat(check.allows("HTTP://Example.org", "example.org:80")).isTrue();
        assertThat(check.allows("https://example.org", "example.org")).isTrue();
        // Same host, another port or scheme: another origin.
        assertThat(check.allows("http://192.168.1.5:9090", "192.168.1.5:8080")).isFalse();
        assertThat(check.allows("https://example.org", "example.org:80")).isFalse();
    }

    @Test
    void pagesOnThisMachineAreAllowed() {
        for (String origin : List.of("http://localhost:5173", "http://127.0.0.1", "https://127.0.0.2:8443",
                "http://[::1]:8080", "http://app.localhost:3000")) {
            assertThat(check.allows(origin, "127.0.0.1:8080")).as(origin).isTrue();
        }
    }

    @Test
    void otherSitesAndOpaqueOriginsAreRefusedWithAReason() {
        assertThat(check.reason("https://evil.example", "127.0.0.1:8080"))
                .contains("https://evil.example:443", "127.0.0.1:8080", "--allow-origin");
        assertThat(check.allows("http://localhost.evil.example", "127.0.0.1:8080")).isFalse();
        assertThat(check.allows("http://127.0.0.1.evil.example", "127.0.0.1:8080")).isFalse();
        assertThat(check.reason("null", "127.0.0.1:8080")).contains("not an http(s) page");
        assertThat(check.allows("file:///home/me/page.html", "127.0.0.1:8080")).isFalse();
        assertThat(check.allows("https://evil.example", null)).isFalse();
    }

    @Test
    void programsWithoutAnOriginAreAllowed() {
        assertThat(check.allows(null, "127.0.0.1:8080")).isTrue();
    }

    @Test
    void originsCanBeAddedExplicitly() {
        OriginCheck lan = new OriginCheck(List.of("https://demo.example.org"));
        assertThat(lan.allows("https://demo.example.org:443", "10.0.0.2:8080")).isTrue();
        assertThat(lan.allows("http://demo.example.org", "10.0.0.2:8080")).isFalse();
        assertThatThrownBy(() -> new OriginCheck(List.of("demo.example.org")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scheme://host[:port]");
    }
}
