package ru.b24connector.reclamation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.portal.PortalConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** What a dealer's claim looks like in the CRM: the deal's fields, its product rows and its timeline comment. */
@ApplicationScoped
public class ClaimAsDeal {

    private final AtomicLong roundRobin = new AtomicLong();

    @Inject
    PortalConfig portalConfig;

    @Inject
    IntakeConfig config;

    @Inject
    PhotoFetcher photos;

    /** The deal's fields for crm.deal.add. */
    Map<String, Object> fields(Reclamation r, ReclamationRequest request,
                                      CompanyContactResolver.CompanyContact ids) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("TITLE", "Рекламация " + request.dealerClaimId() + " — " + request.dealer().companyName());
        portalConfig.reclamationCategoryId().ifPresent(c -> fields.put("CATEGORY_ID", c));
        fields.put("COMPANY_ID", ids.companyId());
        if (ids.contactId() != null) {
            fields.put("CONTACT_IDS", java.util.List.of(ids.contactId())); // CONTACT_ID is deprecated (crm-deal-add.md)
        }
        nextAssignee().ifPresent(a -> fields.put("ASSIGNED_BY_ID", a));
        fields.put("ORIGINATOR_ID", originator(r));
        fields.put("ORIGIN_ID", request.dealerClaimId());
        fields.put("SOURCE_ID", "WEB");
        fields.put(config.claimIdField(), request.dealerClaimId());
        StringBuilder comments = new StringBuilder(request.claimText());
        if (!request.questions().isEmpty()) {
            comments.append("\n\nВопросы дилера:\n");
            request.questions().forEach(q -> comments.append("— ").append(q).append('\n'));
        }
        fields.put("COMMENTS", comments.toString());
        return fields;
    }

    /** The dealer's own namespace for its claim ids: two dealers may both have a claim "42". */
    static String originator(Reclamation r) {
        return "dealer:" + r.inn;
    }

    /** The claim's items as the deal's product rows (no catalogue product: named rows at price 0). */
    static List<Map<String, Object>> rows(ReclamationRequest request) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int sort = 10;
        for (ReclamationRequest.Item item : request.items()) {
            StringBuilder name = new StringBuilder(item.productName());
            if (item.sku() != null && !item.sku().isBlank()) {
                name.append(" (").append(item.sku()).append(')');
            }
            if (item.serialNumber() != null && !item.serialNumber().isBlank()) {
                name.append(", S/N ").append(item.serialNumber());
            }
            rows.add(Map.of("PRODUCT_ID", 0, "PRODUCT_NAME", name.toString(), "PRICE", 0,
                    "QUANTITY", item.quantity(), "SORT", sort));
            sort += 10;
        }
        return rows;
    }

    /** The timeline comment that carries the items' defects and the dealer's questions. */
    static String comment(ReclamationRequest request) {
        StringBuilder text = new StringBuilder("Рекламация дилера ").append(request.dealerClaimId()).append("\n");
        for (ReclamationRequest.Item item : request.items()) {
            text.append("• ").append(item.productName()).append(" × ").append(item.quantity());
            if (item.defectDescription() != null && !item.defectDescription().isBlank()) {
                text.append(": ").append(item.defectDescription());
            }
            text.append('\n');
        }
        for (String question : request.questions()) {
            text.append("Вопрос: ").append(question).append('\n');
        }
        return text.toString();
    }

    /** Photos as the timeline takes them: {@code [[name, base64], ...]}. */
    List<List<String>> files(ReclamationRequest request) {
        List<List<String>> files = new ArrayList<>();
        int n = 1;
        for (ReclamationRequest.Item item : request.items()) {
            for (ReclamationRequest.Photo photo : item.photos() == null ? List.<ReclamationRequest.Photo>of() : item.photos()) {
                String name = photo.fileName() == null || photo.fileName().isBlank() ? "photo-" + n + ".jpg" : photo.fileName();
                String content = photo.contentBase64() != null && !photo.contentBase64().isBlank()
                        ? photo.contentBase64().replaceAll("\\s", "") : photos.fetchBase64(photo.url());
                files.add(List.of(name, content));
                n++;
            }
        }
        return files;
    }

    private Optional<Long> nextAssignee() {
        return config.assignees().filter(a -> !a.isEmpty())
                .map(a -> a.get((int) (roundRobin.getAndIncrement() % a.size())));
    }
}
