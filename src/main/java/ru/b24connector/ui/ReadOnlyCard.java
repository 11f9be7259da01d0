package ru.b24connector.ui;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalException;

import java.util.Map;
import java.util.Optional;

/**
 * A deal's reclamation card, read-only, read with the service's own credentials: for administrators (the admin API's
 * card and the operations console), and in webhook mode, where the portal cannot bind the tab.
 */
@ApplicationScoped
public class ReadOnlyCard {

    @Inject
    PortalClient portal;

    @Inject
    CardPage cards;

    @Inject
    @Location("ui/card.html")
    Template card;

    /** The card's page in {@code lang} (Russian unless English). */
    public String html(long dealId, String lang) {
        return html(dealId, lang, null);
    }

    /** As {@link #html(long, String)}, with a link back to {@code back} (a path of this service) above the card. */
    public String html(long dealId, String lang, String back) {
        Optional<BatchResult> read;
        try {
            read = Optional.of(portal.batch(PortalBatch.create()
                    .add("deal", "crm.deal.get", Map.of("id", dealId))
                    .add("users", "user.get", CardPage.usersCommand(cards.userIdsOf(dealId)))
                    .add("rows", "crm.deal.productrows.get", Map.of("id", dealId))));
        } catch (PortalException e) {
            read = Optional.empty(); // the service's own story is shown without the portal's part
        }
        Texts t = Texts.of(lang);
        return card.data("t", t).data("card", cards.build(dealId, read, t)).data("form", null)
                .data("askNonce", null).data("reassignNonce", null).data("resendNonce", null).data("notice", null)
                .data("readonly", true).data("error", null).data("search", null).data("choices", java.util.List.of())
                .data("bx24", null).data("user", null).data("back", back).render();
    }
}
