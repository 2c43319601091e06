// Core's messages about a missing secret end with the terminal command that fixes it ("Store it
// with: quarry create secret generic …"). The window has a page for that, so it says so instead,
// as a link that opens the Credentials page with the secret's name filled in.
#pragma once

#include "secrets/SecretId.h"

#include <QString>

#include <optional>

namespace quarry::ui {

class CredentialsLink
{
public:
    // `message` as rich text (escaped), its `quarry create secret` advice replaced by a link.
    static QString richText(const QString &message);
    // `message` with the advice replaced by `advice` (e.g. "Add it with the form above." on the
    // Credentials page itself), for plain-text places such as table cells.
    static QString plainText(const QString &message, const QString &advice);
    // The secret a link from richText() names; nullopt for any other link.
    static std::optional<secrets::SecretId> secretOf(const QString &link);
};

} // namespace quarry::ui
