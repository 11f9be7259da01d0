package ru.b24connector.mail;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Type-checked templates of the mails to dealers, in {@code templates/DealerMailer/}: one body and one subject
 * per language. {@link MailTemplates} renders them, or an administrator's override of the same name.
 */
@CheckedTemplate(basePath = "DealerMailer")
public class DealerMailer {

    static native TemplateInstance decision_ru(DecisionMail mail);

    static native TemplateInstance decision_en(DecisionMail mail);

    static native TemplateInstance subject_ru(DecisionMail mail);

    static native TemplateInstance subject_en(DecisionMail mail);

    private DealerMailer() {
    }
}
