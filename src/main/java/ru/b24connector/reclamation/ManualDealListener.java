package ru.b24connector.reclamation;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.events.PortalEvent;
import ru.b24connector.events.PortalEventListener;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A claim a manager typed into the reclamation pipeline by hand, with the dealer's fields filled and no company,
 * gets the same company and contact treatment as a dealer intake. Idempotent: a deal with a company is left alone.
 */
@ApplicationScoped
public class ManualDealListener implements PortalEventListener {

    @Inject
    PortalClient portal;

    @Inject
    PortalConfig portalConfig;

    @Inject
    IntakeConfig intake;

    @Inject
    CompanyContactResolver resolver;

    @Override
    public String name() {
        return "manual-reclamation-dealer";
    }

    @Override
    public boolean accepts(String event) {
        return "ONCRMDEALADD".equals(event) && portalConfig.reclamationCategoryId().isPresent();
    }

    @Override
    public void on(PortalEvent event) {
        long dealId = event.entityId().orElseThrow();
        JsonNode deal = portal.call("crm.deal.get", Map.of("id", dealId));
        if (deal.path("CATEGORY_ID").asInt(-1) != portalConfig.reclamationCategoryId().orElse(-2)
                || deal.path("COMPANY_ID").asLong(0) > 0) {
            return;
        }
        String inn = text(deal, intake.manual().innField());
        if (!Inn.isValid(inn)) {
            Log.infof("Deal %d has no valid dealer INN in %s; no company linked", dealId, intake.manual().innField());
            return;
        }
        // e-mail and phone help find the company and make the contact; a manager may not know them
        String phone = Phones.normalize(text(deal, intake.manual().phoneField())).orElse(null);
        String email = text(deal, intake.manual().emailField()).toLowerCase(java.util.Locale.ROOT);
        email = email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+") ? email : null;
        String company = text(deal, intake.manual().companyField());
        String contact = text(deal, intake.manual().contactField());
        CompanyContactResolver.CompanyContact ids = resolver.resolve(new CompanyContactResolver.Party(
                company.isBlank() ? "ИНН " + inn : company, inn, null, contact.isBlank() ? email : contact, email, phone));
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("COMPANY_ID", ids.companyId());
        portal.call("crm.deal.update", Map.of("id", dealId, "fields", update));
        if (ids.contactId() != null) {
            DealContacts.link(portal, dealId, ids.contactId());
        }
        Log.infof("Deal %d entered by hand: company %d and contact %s linked", dealId, ids.companyId(), ids.contactId());
    }

    private static String text(JsonNode deal, String field) {
        return deal.path(field).asText("").trim();
    }
}
