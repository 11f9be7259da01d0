package ru.b24connector.process;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The process file format: the shipped files load, and a broken file names its line and problem. */
class ProcessFileLoaderTests {

    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    static ProcessDefinition shipped(String name) {
        Optional<Path> file = name.equals("reclamation") ? Optional.empty()
                : Optional.of(Path.of("src/main/resources/processes/examples/" + name + ".yaml"));
        return ProcessFileLoader.load(file, Optional.of(3), MOSCOW);
    }

    @Test
    void shippedReclamationProcessLoadsIntoTheConfiguredPipeline() {
        ProcessDefinition a = shipped("reclamation");

        assertThat(a.name()).isEqualTo("reclamation");
        assertThat(a.pipelines()).containsOnlyKeys(3);
        assertThat(a.pipelines().get(3).stages()).containsKeys("C3:NEW", "C3:NEEDS_INFO", "C3:REVIEW", "C3:DECISION",
                "C3:WON", "C3:LOSE");
        assertThat(a.stage(3, "C3:NEEDS_INFO").orElseThrow().moves()).extracting(ProcessDefinition.Move::after)
                .contains(Duration.ofDays(5));
        assertThat(a.stage(3, "C3:DECISION").orElseThrow().decisionEmail().decisionField())
                .isEqualTo("UF_CRM_B24C_DECISION");
    }

    @Test
    void reclamationPipelineIsInactiveWithoutItsCategoryId() {
        ProcessDefinition a = ProcessFileLoader.load(Optional.empty(), Optional.empty(), MOSCOW);

        assertThat(a.pipelines()).isEmpty();
        assertThat(a.unresolved()).containsExactly("reclamation");
    }

    @Test
    void exampleProcessesLoad() {
        assertThat(shipped("contract-approval").pipelines().get(5).stages()).containsKeys("C5:APPROVAL", "C5:LOSE");
        ProcessDefinition c = shipped("complaint-resolution");
        assertThat(c.pipelines().get(7).stages()).containsKeys("C7:EMPLOYEE_CASE", "C7:SYSTEM_FINANCE_CASE",
                "C7:SYSTEM_CASE", "C7:FINANCE_CASE", "C7:SUPPLIER_CASE", "C7:COMPENSATION_FINE",
                "C7:COMPENSATION_BUDGET", "C7:SUPPLIER_PAYMENT_APPROVED", "C7:SUPPLIER_PAYMENT_REJECTED");
        assertThat(shipped("follow-ups").pipelines().get(0).stages()).containsKeys("PROPOSAL", "INVOICE", "WON");
    }

    @Test
    void unknownKeyNamesTheLine() {
        assertThatThrownBy(() -> parse("""
                name: x
                pipelines:
                  - category: 1
                    stages:
                      NEW:
                        taks: []
                """))
                .isInstanceOf(ProcessFileException.class)
                .hasMessageStartingWith("process file test.yaml, line 6: unknown key 'taks'");
    }

    @Test
    void badDurationNamesTheLine() {
        assertThatThrownBy(() -> parse("""
                pipelines:
                  - category: 1
                    stages:
                      NEW:
                        tasks:
                          - key: a
                            title: A
                            deadline: two days
                """))
                .hasMessage("process file test.yaml, line 8: 'two days' is not a duration: use e.g. 30m, 8h, 2d, 1w,"
                        + " or 16h working, 3d working");
    }

    @Test
    void moveToUndeclaredStageNamesTheLine() {
        assertThatThrownBy(() -> parse("""
                pipelines:
                  - category: 1
                    stages:
                      NEW:
                        moves:
                          - to: DONE
                            after: 5d
                """))
                .hasMessageStartingWith("process file test.yaml, line 6: move to 'DONE': no such stage in this pipeline");
    }

    @Test
    void unknownDirectoryAndBadResponsibleNameTheLine() {
        assertThatThrownBy(() -> parse("""
                pipelines:
                  - category: 1
                    stages:
                      NEW:
                        tasks:
                          - {key: a, title: A, responsible: directory:nope}
                """))
                .hasMessage("process file test.yaml, line 6: no directory 'nope' under 'directories'");
        assertThatThrownBy(() -> parse("""
                pipelines:
                  - category: 1
                    stages:
                      NEW:
                        notify:
                          - to: boss
                            message: hi
                """))
                .hasMessageStartingWith("process file test.yaml, line 6: 'boss' is not a responsible");
    }

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        assertThatThrownBy(() -> parse("""
                pipelines:
                  - category: 1
                    stages: [
                """))
                .isInstanceOf(ProcessFileException.class)
                .hasMessageContaining("line 4")
                .hasMessageContaining("is not valid YAML");
    }

    @Test
    void aStageWrittenTwiceNamesTheLine() {
        assertThatThrownBy(() -> parse("""
                pipelines:
                  - category: 1
                    stages:
                      NEW: {}
                      WON: {}
                      NEW: {}
                """))
                .hasMessageStartingWith("process file test.yaml, line 6: is not valid YAML: Duplicate field 'NEW'");
    }

    @Test
    void wrongTypeNamesTheLine() {
        assertThatThrownBy(() -> parse("""
                directories:
                  d:
                    field: F
                    map: {a: not-a-number}
                    fallback: 1
                pipelines:
                  - category: 1
                    stages: {NEW: {}}
                """))
                .hasMessageStartingWith("process file test.yaml, line 4:")
                .hasMessageContaining("wrong type (expected a number)");
    }

    @Test
    void workingHoursSkipNightsWeekendsAndHolidays() {
        WorkCalendar calendar = new WorkCalendar(MOSCOW, Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY,
                DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(18, 0),
                Set.of(LocalDate.of(2026, 3, 9)));
        Instant fridayAt17 = Instant.parse("2026-03-06T14:00:00Z"); // 17:00 Moscow

        // one hour on Friday, the weekend and the Monday holiday skipped, three hours on Tuesday
        assertThat(calendar.plus(fridayAt17, Duration.ofHours(4), true)).isEqualTo("2026-03-10T09:00:00Z");
        assertThat(calendar.plus(fridayAt17, Duration.ofHours(4), false)).isEqualTo("2026-03-06T18:00:00Z");
        // before opening: counting starts at 09:00
        assertThat(calendar.plus(Instant.parse("2026-03-02T03:00:00Z"), Duration.ofHours(9), true))
                .isEqualTo("2026-03-02T15:00:00Z");
    }

    private static ProcessDefinition parse(String yaml) {
        return ProcessFileLoader.parse(yaml, "test.yaml", Optional.empty(), MOSCOW);
    }
}
