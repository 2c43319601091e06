// A Converse answer read and checked once for every client API's response builder.
#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QJsonObject>

namespace quarry::bedrock {

// The response object, when it has output.message.content (an array) and a stopReason; otherwise
// an error naming what is missing, for a 502.
Result<QJsonObject> parseConverseResponse(const QByteArray &bytes);

} // namespace quarry::bedrock
