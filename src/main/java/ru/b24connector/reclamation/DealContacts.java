package ru.b24connector.reclamation;

import ru.b24connector.portal.PortalClient;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Links a contact to an existing deal with {@code crm.deal.contact.add}. The deal's {@code CONTACT_ID} is deprecated
 * and {@code CONTACT_IDS} replaces every linked contact ({@code crm/deals/crm-deal-update.md}); this adds one and
 * leaves the others. Linking a contact twice is harmless: the portal answers {@code false}
 * ({@code crm/deals/contacts/crm-deal-contact-add.md}).
 */
public final class DealContacts {

    private DealContacts() {
    }

    /** Links {@code contactId} to the deal as its primary contact. */
    public static void link(PortalClient portal, long dealId, long contactId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("CONTACT_ID", contactId);
        fields.put("IS_PRIMARY", "Y");
        portal.call("crm.deal.contact.add", Map.of("id", dealId, "fields", fields));
    }
}
