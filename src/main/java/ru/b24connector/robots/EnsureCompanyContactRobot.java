package ru.b24connector.robots;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.reclamation.CompanyContactResolver;
import ru.b24connector.reclamation.DealContacts;
import ru.b24connector.reclamation.Inn;
import ru.b24connector.reclamation.Phones;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ensure_company_contact}: finds or creates the company and contact (the dealer intake's resolver: one
 * implementation) and links them to the deal; returns {@code company_id} and {@code contact_id}.
 */
@ApplicationScoped
public class EnsureCompanyContactRobot implements Robot {

    @Inject
    CompanyContactResolver resolver;

    @Inject
    PortalClient portal;

    @Override
    public String code() {
        return "ensure_company_contact";
    }

    @Override
    public RobotDefinition definition() {
        LinkedHashMap<String, RobotDefinition.Property> in = new LinkedHashMap<>();
        in.put("company_title", RobotDefinition.Property.of("Название компании", "Company name", "string", true));
        in.put("inn", RobotDefinition.Property.of("ИНН", "INN (taxpayer number)", "string", true));
        in.put("contact_name", RobotDefinition.Property.of("Контактное лицо", "Contact name", "string", true));
        in.put("email", RobotDefinition.Property.of("E-mail", "E-mail", "string", true));
        in.put("phone", RobotDefinition.Property.of("Телефон", "Phone", "string", true));
        LinkedHashMap<String, RobotDefinition.Property> out = new LinkedHashMap<>();
        out.put("company_id", RobotDefinition.Property.of("ID компании", "Company ID", "int", false));
        out.put("contact_id", RobotDefinition.Property.of("ID контакта", "Contact ID", "int", false));
        return new RobotDefinition(Map.of("ru", "Найти или создать компанию и контакт", "en", "Ensure company and contact"),
                Map.of("ru", "Ищет компанию по ИНН, e-mail или телефону, создаёт недостающее и привязывает к сделке",
                        "en", "Finds the company by INN, e-mail or phone, creates what is missing, links it to the deal"),
                in, out);
    }

    @Override
    public RobotResult run(RobotCall call) {
        long dealId = call.dealId();
        String inn = call.required("inn");
        if (!Inn.isValid(inn)) {
            throw new RobotInputException("inn", "inn-checksum", "is not a valid INN: " + inn);
        }
        String email = call.required("email").toLowerCase();
        if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new RobotInputException("email", "email", "is not an e-mail address: " + email);
        }
        String phone = Phones.normalize(call.required("phone"))
                .orElseThrow(() -> new RobotInputException("phone", "phone", "is not a phone number"));
        CompanyContactResolver.CompanyContact ids = resolver.resolve(new CompanyContactResolver.Party(
                call.required("company_title"), inn, null, call.required("contact_name"), email, phone));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("COMPANY_ID", ids.companyId());
        portal.call("crm.deal.update", Map.of("id", dealId, "fields", fields));
        if (ids.contactId() != null) {
            DealContacts.link(portal, dealId, ids.contactId());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("company_id", ids.companyId());
        values.put("contact_id", ids.contactId() == null ? 0 : ids.contactId());
        return RobotResult.of(values, "Company " + ids.companyId() + " and contact " + ids.contactId() + " linked");
    }
}
