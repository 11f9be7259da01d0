package ru.b24connector.registration;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalConfig;
import ru.b24connector.process.ProcessDefinition;
import ru.b24connector.process.ProcessDefinitions;
import ru.b24connector.reclamation.IntakeConfig;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Provisions in the portal what the process file needs and does not find there: the reclamation pipeline (when
 * B24_RECLAMATION_CATEGORY_ID is unset), its stages, and the deal user fields the service reads and writes.
 * Existing stages and fields are matched by code and left as they are: never duplicated, never renamed.
 */
@ApplicationScoped
public class PortalProvisioner {

    /** What a provisioning run found and did. */
    public record Report(Integer categoryId, List<String> created) {
    }

    @Inject
    PortalClient portal;

    @Inject
    PortalConfig portalConfig;

    @Inject
    ProcessDefinitions processes;

    @Inject
    IntakeConfig intake;

    @Inject
    ru.b24connector.onec.OneCConfig onec;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    public Report provision() {
        List<String> created = new ArrayList<>();
        int category = portalConfig.reclamationCategoryId().orElseGet(() -> findOrCreateCategory(created));
        ProcessDefinition definition = processes.withReclamationCategory(category);
        ProcessDefinition.Pipeline pipeline = definition.pipelines().get(category);
        String entity = category == 0 ? "DEAL_STAGE" : "DEAL_STAGE_" + category;

        BatchResult existing = portal.batch(PortalBatch.create()
                .add("stages", "crm.status.list", Map.of("filter", Map.of("ENTITY_ID", entity)))
                .add("fields", "crm.deal.userfield.list", Map.of()));
        Set<String> stages = new LinkedHashSet<>();
        PortalClient.itemsOf(existing.result("stages")).forEach(s -> stages.add(bare(s.path("STATUS_ID").asText())));
        // the list comes 50 fields a page (crm-deal-userfield-list.md): a field on a later page exists too
        List<JsonNode> fieldRows = new ArrayList<>();
        PortalClient.itemsOf(existing.result("fields")).forEach(fieldRows::add);
        if (existing.next("fields").isPresent()) {
            portal.listFrom("crm.deal.userfield.list", Map.of(), existing.next("fields").getAsInt(), fieldRows);
        }
        Set<String> fields = new LinkedHashSet<>();
        fieldRows.forEach(f -> fields.add(f.path("FIELD_NAME").asText()));

        PortalBatch adds = PortalBatch.create();
        int sort = 10;
        if (pipeline != null) {
            for (ProcessDefinition.Stage stage : pipeline.stages().values()) {
                String code = bare(stage.id());
                if (!stages.contains(code) && !code.equals("WON") && !code.equals("LOSE")) {
                    adds.add("stage" + adds.size(), "crm.status.add", Map.of("fields", Map.of("ENTITY_ID", entity,
                            "STATUS_ID", code, "NAME", stage.title(), "SORT", sort)));
                    created.add("stage " + code);
                }
                sort += 10;
            }
        }
        for (Map.Entry<String, String> field : wantedFields(definition).entrySet()) {
            if (!fields.contains(field.getKey())) {
                adds.add("field" + adds.size(), "crm.deal.userfield.add", Map.of("fields", Map.of(
                        "FIELD_NAME", field.getKey().substring("UF_CRM_".length()), "USER_TYPE_ID", "string",
                        "EDIT_FORM_LABEL", field.getValue(), "LIST_COLUMN_LABEL", field.getValue())));
                created.add("field " + field.getKey());
            }
        }
        if (!adds.isEmpty()) {
            BatchResult result = portal.batch(adds);
            for (PortalBatch.Command command : adds.commands()) {
                result.result(command.key()); // a refused add fails the run; the job retries it
            }
        }
        processes.adoptReclamationCategory(category);
        Log.infof("Provisioning: pipeline %d; %s", category, created.isEmpty() ? "nothing to create" : String.join(", ", created));
        return new Report(category, created);
    }

    /** The process file's UF_CRM_ fields and those the intake and the 1C exchange read and write, with their labels. */
    private Map<String, String> wantedFields(ProcessDefinition definition) {
        Map<String, String> wanted = new LinkedHashMap<>();
        definition.labels().forEach((name, label) -> {
            if (name.startsWith("UF_CRM_")) {
                wanted.put(name, label);
            }
        });
        wanted.putIfAbsent(intake.claimIdField(), "Номер рекламации дилера");
        wanted.putIfAbsent(intake.decisionField(), "Решение");
        wanted.putIfAbsent(intake.manual().innField(), "ИНН дилера");
        wanted.putIfAbsent(intake.manual().companyField(), "Компания дилера");
        wanted.putIfAbsent(intake.manual().contactField(), "Контактное лицо дилера");
        wanted.putIfAbsent(intake.manual().emailField(), "E-mail дилера");
        wanted.putIfAbsent(intake.manual().phoneField(), "Телефон дилера");
        wanted.putIfAbsent(onec.statusField(), "Статус в 1С");
        wanted.keySet().removeIf(name -> !name.startsWith("UF_CRM_"));
        return wanted;
    }

    private int findOrCreateCategory(List<String> created) {
        Optional<Integer> stored = storedCategory();
        if (stored.isPresent()) {
            return stored.get();
        }
        String name = portalConfig.reclamationCategoryName();
        for (JsonNode c : portal.list("crm.category.list", Map.of("entityTypeId", 2))) {
            if (name.equalsIgnoreCase(c.path("name").asText())) {
                return store(c.path("id").asInt());
            }
        }
        JsonNode category = portal.create("crm.category.add", Map.of("entityTypeId", 2,
                        "fields", Map.of("name", name, "sort", 500)),
                () -> {
                    for (JsonNode c : portal.list("crm.category.list", Map.of("entityTypeId", 2))) {
                        if (name.equalsIgnoreCase(c.path("name").asText())) {
                            return Optional.of(portal.json().createObjectNode().set("category", c));
                        }
                    }
                    return Optional.empty();
                });
        created.add("pipeline " + name);
        return store(category.path("category").path("id").asInt());
    }

    private Optional<Integer> storedCategory() {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "SELECT fingerprint FROM registration_state WHERE kind = 'category' AND code = 'reclamation'")
                .getResultStream().findFirst().map(v -> Integer.parseInt(String.valueOf(v))));
    }

    private int store(int categoryId) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        INSERT INTO registration_state (kind, code, fingerprint, updated_at)
                        VALUES ('category', 'reclamation', ?1, ?2)
                        ON DUPLICATE KEY UPDATE fingerprint = VALUES(fingerprint), updated_at = VALUES(updated_at)""")
                .setParameter(1, String.valueOf(categoryId)).setParameter(2, Timestamp.from(clock.instant())).executeUpdate());
        return categoryId;
    }

    /** {@code C3:NEW} → {@code NEW}. */
    private static String bare(String stageId) {
        int colon = stageId.indexOf(':');
        return colon < 0 ? stageId : stageId.substring(colon + 1);
    }
}
