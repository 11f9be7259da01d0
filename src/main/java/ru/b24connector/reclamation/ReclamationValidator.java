package ru.b24connector.reclamation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import ru.b24connector.web.InvalidInputException;
import ru.b24connector.web.ProblemMappers;
import ru.b24connector.web.Problem;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The rules an annotation cannot express: INN checksum, KPP and phone formats, photo sources and sizes. */
@ApplicationScoped
class ReclamationValidator {

    @Inject
    IntakeConfig config;

    @Inject
    Validator validator;

    /**
     * Returns the request with the phone normalized, or throws naming every broken rule at once: the annotations'
     * and these checks together, so a dealer fixes a rejected claim in one round.
     */
    ReclamationRequest check(ReclamationRequest request) {
        List<Problem.FieldError> errors = new ArrayList<>(ProblemMappers.fieldErrors(validator.validate(request)));
        ReclamationRequest.Dealer dealer = request.dealer();
        String phone = null;
        if (dealer != null) {
            if (dealer.inn() != null && !dealer.inn().isBlank() && !Inn.isValid(dealer.inn())) {
                errors.add(new Problem.FieldError("dealer.inn", "inn-checksum",
                        "must be a valid INN: 10 or 12 digits with correct check digits"));
            }
            if (dealer.kpp() != null && !dealer.kpp().isBlank() && !dealer.kpp().matches("\\d{4}[\\dA-Z]{2}\\d{3}")) {
                errors.add(new Problem.FieldError("dealer.kpp", "kpp-format", "must be 9 characters: NNNNPPNNN"));
            }
            phone = Phones.normalize(dealer.phone()).orElse(null);
            if (phone == null && dealer.phone() != null && !dealer.phone().isBlank()) {
                errors.add(new Problem.FieldError("dealer.phone", "phone",
                        "must be a phone number such as 8 (912) 345-67-89 or +7 912 345-67-89"));
            }
        }
        List<ReclamationRequest.Item> items = request.items() == null ? List.of() : request.items();
        for (int i = 0; i < items.size(); i++) {
            List<ReclamationRequest.Photo> photos = items.get(i) == null ? null : items.get(i).photos();
            for (int j = 0; photos != null && j < photos.size(); j++) {
                if (photos.get(j) != null) {
                    checkPhoto("items[" + i + "].photos[" + j + "]", photos.get(j), errors);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        ReclamationRequest.Dealer normalized = new ReclamationRequest.Dealer(dealer.companyName().trim(), dealer.inn(),
                dealer.kpp() == null || dealer.kpp().isBlank() ? null : dealer.kpp(), dealer.contactName().trim(),
                dealer.email().trim().toLowerCase(), phone);
        return new ReclamationRequest(normalized, request.dealerClaimId().trim(), request.claimText(), request.items(),
                request.questions() == null ? List.of() : request.questions());
    }

    private void checkPhoto(String field, ReclamationRequest.Photo photo, List<Problem.FieldError> errors) {
        boolean inline = photo.contentBase64() != null && !photo.contentBase64().isBlank();
        boolean linked = photo.url() != null && !photo.url().isBlank();
        if (inline == linked) {
            errors.add(new Problem.FieldError(field, "one-of", "give exactly one of contentBase64 and url"));
            return;
        }
        if (inline) {
            int decoded = decodedSize(photo.contentBase64());
            if (decoded < 0) {
                errors.add(new Problem.FieldError(field + ".contentBase64", "base64", "is not valid base64"));
            } else if (decoded > config.maxPhotoBytes()) {
                errors.add(new Problem.FieldError(field + ".contentBase64", "max-size",
                        "is " + decoded + " bytes; at most " + config.maxPhotoBytes() + " are accepted"));
            }
            return;
        }
        URI uri;
        try {
            uri = URI.create(photo.url().trim());
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError(field + ".url", "url", "is not a URL"));
            return;
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null
                || config.photoHosts().map(hosts -> !hosts.contains(uri.getHost().toLowerCase())).orElse(true)) {
            errors.add(new Problem.FieldError(field + ".url", "allowed-host",
                    "must be an https URL on a host the administrator allows"));
        }
    }

    private static int decodedSize(String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
