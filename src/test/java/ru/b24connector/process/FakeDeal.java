package ru.b24connector.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/**
 * A deal in the WireMock portal: {@code crm.deal.get} answers with its fields in the shape of
 * reference §12.3, and {@code crm.deal.update} of STAGE_ID changes the stage it answers with, as the portal does.
 */
final class FakeDeal {

    private static final ObjectMapper JSON = new ObjectMapper();

    final long id;
    private final WireMockServer portal;
    private final int category;
    private final List<String> stages;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private FakeDeal(WireMockServer portal, long id, int category, List<String> stages) {
        this.portal = portal;
        this.id = id;
        this.category = category;
        this.stages = stages;
    }

    /** A deal in {@code stage}, assigned to user 7, with {@code fields} on top of the usual ones. */
    static FakeDeal in(WireMockServer portal, long id, int category, List<String> stages, String stage,
                       Map<String, ?> fields) {
        FakeDeal deal = new FakeDeal(portal, id, category, stages);
        deal.fields.putAll(Map.of("TITLE", "Claim " + id, "ASSIGNED_BY_ID", "7", "COMPANY_ID", "45",
                "CONTACT_ID", "88", "DATE_MODIFY", "2026-03-02T10:00:00+03:00"));
        deal.fields.putAll(fields);
        deal.stub();
        for (String s : stages) {
            portal.stubFor(portalCall("crm.deal.update").withRequestBody(matchingJsonPath("$.id", equalTo("" + id)))
                    .withRequestBody(matchingJsonPath("$.fields.STAGE_ID", equalTo(s)))
                    .inScenario(scenario(id)).willSetStateTo(s).willReturn(ok("true")));
        }
        portal.setScenarioState(scenario(id), stage);
        return deal;
    }

    /** A person moves the deal in the portal. */
    void movedByHand(String stage) {
        portal.setScenarioState(scenario(id), stage);
    }

    /** A person edits a field. */
    FakeDeal set(String field, Object value) {
        fields.put(field, value);
        stub();
        return this;
    }

    /** The deal as crm.deal.list/get would give it, in {@code stage}. */
    String json(String stage) {
        Map<String, Object> deal = new LinkedHashMap<>();
        deal.put("ID", String.valueOf(id));
        deal.put("CATEGORY_ID", String.valueOf(category));
        deal.put("STAGE_ID", stage);
        deal.put("STAGE_SEMANTIC_ID", "P");
        deal.putAll(fields);
        try {
            return JSON.writeValueAsString(deal);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void stub() {
        for (String s : stages) {
            portal.stubFor(portalCall("crm.deal.get").withRequestBody(equalToJson("{\"id\":" + id + "}"))
                    .inScenario(scenario(id)).whenScenarioStateIs(s).willReturn(ok(json(s))));
        }
    }

    private static String scenario(long id) {
        return "deal-" + id;
    }
}
