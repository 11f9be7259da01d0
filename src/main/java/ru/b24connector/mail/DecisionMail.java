package ru.b24connector.mail;

import java.util.List;

/**
 * What a decision mail shows; the data of the {@code DealerMailer} templates (as {@code mail}). An override
 * template in {@code MAIL_TEMPLATES_DIR} gets the same object.
 *
 * @param claimNumber  the dealer's claim number (deal field {@code ORIGIN_ID} by default); may be empty
 * @param decisionLabel the decision in words, in the mail's language
 * @param comment      the decision comment; may be empty
 * @param claimText    the claim's text from the deal ({@code COMMENTS}, BB-code removed); may be empty
 */
public record DecisionMail(String language, long dealId, String dealTitle, String claimNumber, Decision decision,
                           String decisionLabel, String comment, String claimText, List<Item> items,
                           Manager manager) {

    /** A claimed item (deal product row). */
    public record Item(String name, String quantity, String measure) {
    }

    /** The responsible manager, the dealer's contact; fields may be empty. */
    public record Manager(String name, String email, String phone) {
        public boolean known() {
            return !name.isEmpty() || !email.isEmpty() || !phone.isEmpty();
        }
    }

    /** True when there is a decision comment to show. */
    public boolean hasComment() {
        return comment != null && !comment.isBlank();
    }
}
