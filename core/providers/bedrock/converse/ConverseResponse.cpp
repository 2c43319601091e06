// Converse response shape check.
#include "providers/bedrock/converse/ConverseResponse.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

Result<QJsonObject> parseConverseResponse(const QByteArray &bytes)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError) {
        return Result<QJsonObject>::failure(u"Converse response: invalid JSON at offset "_s %
                                            QString::number(error.offset) % u": "_s % error.errorString());
    }
    const QJsonObject root = document.object();
    if (!root.value("output"_L1)["message"_L1]["content"_L1].isArray())
        return Result<QJsonObject>::failure(u"Converse response: output.message.content missing"_s);
    if (!root.value("stopReason"_L1).isString())
        return Result<QJsonObject>::failure(u"Converse response: stopReason missing"_s);
    return root;
}

} // namespace quarry::bedrock
