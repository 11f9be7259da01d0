package ru.b24connector.reclamation;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.List;

/** The dealer intake body of {@code POST /api/v1/reclamations} (public: extend, never rename). */
public record ReclamationRequest(
        @NotNull @Valid Dealer dealer,
        @NotBlank @Size(max = 64) String dealerClaimId,
        @NotBlank @Size(max = 20_000) String claimText,
        @NotEmpty @Size(max = 50) List<@NotNull @Valid Item> items,
        @Size(max = 20) List<@NotBlank @Size(max = 2_000) String> questions) {

    /** The dealer's company and contact person. */
    public record Dealer(
            @NotBlank @Size(max = 255) String companyName,
            @NotBlank String inn,
            String kpp,
            @NotBlank @Size(max = 255) String contactName,
            @NotBlank @Email @Size(max = 255) String email,
            @NotBlank String phone) {
    }

    /** One claimed item. */
    public record Item(
            @NotBlank @Size(max = 255) String productName,
            @Size(max = 100) String sku,
            @NotNull @Positive @Max(100_000) Integer quantity,
            @Size(max = 100) String serialNumber,
            @Size(max = 5_000) String defectDescription,
            @Size(max = 10) List<@NotNull @Valid Photo> photos) {
    }

    /** A photo: inline base64 or a URL the service fetches from an allowed host. */
    public record Photo(@Size(max = 255) String fileName, String contentBase64, @Size(max = 2_000) String url) {
    }
}
