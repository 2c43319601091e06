// SecretCodec: SecretData <-> the bytes of one keychain item.
#pragma once

#include "secrets/SecretId.h"
#include "util/Result.h"

#include <QByteArray>

namespace quarry::secrets {

// Format: a compact JSON object, key -> value. A value that is valid UTF-8 is stored as a JSON
// string (so the item stays readable in Seahorse / Keychain Access); any other bytes are stored
// as {"base64": "..."}. Example: {"accessKey":"AKIA...","blob":{"base64":"/w=="}}
class SecretCodec
{
public:
    static QByteArray encode(const SecretData &data);
    // Errors describe the shape only, never the content (it is secret).
    static Result<SecretData> decode(const QByteArray &bytes);
};

} // namespace quarry::secrets
