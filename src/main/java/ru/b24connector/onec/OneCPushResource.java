package ru.b24connector.onec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import ru.b24connector.web.InvalidInputException;
import ru.b24connector.web.Problem;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What 1C pushes: {@code POST /api/v1/1c/reclamations} and {@code POST /api/v1/1c/counterparties}, JSON as
 * {@code ЗаписатьJSON} writes it (a UTF-8 BOM, local dates and numbers as strings are fine). A record is stored
 * before the answer and applied in the background; the same version pushed again is answered with the first
 * receipt and changes nothing. {@code GET .../{ref}} tells 1C the deal or company its record became.
 */
@Path("/api/v1/1c")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "1C exchange")
public class OneCPushResource {

    @Inject
    OneCRecordReader reader;

    @Inject
    OneCExchangeLog log;

    @Inject
    ObjectMapper json;

    @POST
    @Path("reclamations")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A reclamation document from 1C, created or updated by its Ref_Key")
    @APIResponse(responseCode = "202", description = "Stored; the deal is created or updated in the background")
    @APIResponse(responseCode = "200", description = "This version was received before: the first receipt, nothing changed")
    @APIResponse(responseCode = "400", description = "Invalid: errors[] names each field and rule; logged, nothing changed")
    @APIResponse(responseCode = "401", description = "Missing or wrong ONEC_API_TOKEN (with a Basic challenge)")
    public RestResponse<Map<String, Object>> reclamation(@HeaderParam("Content-Type") String contentType, byte[] body) {
        return push(OneCRecords.Kind.RECLAMATION, contentType, body);
    }

    @POST
    @Path("counterparties")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A counterparty from 1C: its company is found by INN, e-mail or phone, or created")
    @APIResponse(responseCode = "202", description = "Stored; the company is found or created in the background")
    @APIResponse(responseCode = "200", description = "This version was received before: the first receipt, nothing changed")
    @APIResponse(responseCode = "400", description = "Invalid: errors[] names each field and rule; logged, nothing changed")
    @APIResponse(responseCode = "401", description = "Missing or wrong ONEC_API_TOKEN (with a Basic challenge)")
    public RestResponse<Map<String, Object>> counterparty(@HeaderParam("Content-Type") String contentType, byte[] body) {
        return push(OneCRecords.Kind.COUNTERPARTY, contentType, body);
    }

    @GET
    @Path("reclamations/{ref}")
    @Operation(summary = "The deal a 1C reclamation became, and its latest exchange")
    public RestResponse<?> reclamationState(@RestPath String ref) {
        return state(OneCRecords.Kind.RECLAMATION, ref);
    }

    @GET
    @Path("counterparties/{ref}")
    @Operation(summary = "The company a 1C counterparty became, and its latest exchange")
    public RestResponse<?> counterpartyState(@RestPath String ref) {
        return state(OneCRecords.Kind.COUNTERPARTY, ref);
    }

    private RestResponse<Map<String, Object>> push(OneCRecords.Kind kind, String contentType, byte[] body) {
        String text = OneCJson.text(body == null ? new byte[0] : body, contentType);
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new InvalidInputException("body", "json", "must be a JSON object (UTF-8, with or without a BOM)");
        }
        OneCRecords.Record record;
        try {
            record = kind == OneCRecords.Kind.COUNTERPARTY ? reader.counterparty(node) : reader.reclamation(node);
        } catch (InvalidInputException e) {
            JsonNode doc = node.path(kind == OneCRecords.Kind.COUNTERPARTY ? "counterparty" : "reclamation");
            doc = doc.isObject() ? doc : node;
            String ref = doc.path("ref").asText("").toLowerCase(Locale.ROOT);
            log.reject(OneCExchange.Direction.PUSH, kind, ref.isEmpty() || ref.length() > 64 ? null : ref,
                    doc.path("dataVersion").asText(null), doc.path(kind == OneCRecords.Kind.COUNTERPARTY ? "name" : "number").asText(null),
                    OneCPull.describe(e.errors()), text);
            throw e;
        }
        OneCExchangeLog.Receipt receipt = log.receive(OneCExchange.Direction.PUSH, record);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("exchangeId", receipt.exchangeId());
        answer.put("ref", receipt.ref());
        answer.put("status", receipt.repeat() ? "duplicate" : "accepted");
        answer.put("statusUrl", "/api/v1/1c/" + (kind == OneCRecords.Kind.COUNTERPARTY ? "counterparties/" : "reclamations/")
                + receipt.ref());
        return receipt.repeat() ? RestResponse.ok(answer) : RestResponse.accepted(answer);
    }

    private RestResponse<?> state(OneCRecords.Kind kind, String ref) {
        String key = ref.toLowerCase(Locale.ROOT);
        return log.object(kind, key).filter(o -> o.receivedExchangeId != null).<RestResponse<?>>map(o -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("ref", key);
            answer.put(kind == OneCRecords.Kind.COUNTERPARTY ? "companyId" : "dealId", o.portalId);
            if (kind == OneCRecords.Kind.RECLAMATION) {
                answer.put("companyId", o.companyId);
            }
            log.find(o.receivedExchangeId).ifPresent(e -> {
                answer.put("exchangeId", e.id);
                answer.put("status", e.status.name().toLowerCase(Locale.ROOT));
                answer.put("error", e.error);
            });
            return RestResponse.ok(answer);
        }).orElseGet(() -> Problem.of(404, "Not found", "no 1C " + kind.name().toLowerCase(Locale.ROOT) + " " + ref).toResponse());
    }
}
